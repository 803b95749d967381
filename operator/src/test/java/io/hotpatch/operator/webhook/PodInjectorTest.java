package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Decisions the golden files do not spell out: operations, namespaces, name clashes, malformed
 * pods.
 */
class PodInjectorTest {
  private final PodInjector injector = new PodInjector(Reviews.settings());

  @Test
  void onlyCreateIsInjected() throws Exception {
    assertThat(injector.inject("CREATE", "shop", pod()).injected()).isTrue();
    for (String operation : new String[] {"UPDATE", "DELETE", "CONNECT", null}) {
      assertThat(injector.inject(operation, "shop", pod()).patch()).as(operation).isEmpty();
    }
  }

  @Test
  void requestNamespaceCountsWhenThePodHasNoneYet() throws Exception {
    ObjectNode pod = pod();
    ((ObjectNode) pod.get("metadata")).remove("namespace");
    assertThat(injector.inject("CREATE", "shop", pod).injected()).isTrue();
    assertThat(injector.inject("CREATE", "kube-node-lease", pod).patch()).isEmpty();
    assertThat(injector.inject("CREATE", "kube-public", pod).patch()).isEmpty();
    assertThat(injector.inject("CREATE", null, pod).patch()).isEmpty();
  }

  @Test
  void operatorNamespaceIsExcludedOnlyWhenKnown() throws Exception {
    InjectionSettings unknown =
        new InjectionSettings(
            "img", "Always", SidecarMode.NATIVE, "https://x", null, Set.of(), Optional.empty());
    assertThat(new PodInjector(unknown).inject("CREATE", "hotpatch-system", pod()).injected())
        .isTrue();
    assertThat(injector.inject("CREATE", "hotpatch-system", pod()).patch()).isEmpty();
    assertThat(injector.inject("CREATE", "legacy", pod()).patch())
        .as("configured exclusion")
        .isEmpty();
  }

  @Test
  void clashingNamesAndMountsRefuseWithANote() throws Exception {
    assertNote(
        with(pod(), "/spec/initContainers", "[{\"name\":\"hotpatch-init\",\"image\":\"x\"}]"),
        "not injected: the pod already has a container named hotpatch-init; rename it");
    assertNote(
        with(pod(), "/spec/volumes", "[{\"name\":\"hotpatch-tmp\",\"emptyDir\":{}}]"),
        "not injected: the pod already has a volume named hotpatch-tmp; rename it");
    assertNote(
        with(
            pod(),
            "/spec/containers/0/volumeMounts",
            "[{\"name\":\"data\",\"mountPath\":\"/hotpatch\"}]"),
        "not injected: container \"app\" already mounts a volume at /hotpatch; move that mount");
  }

  @Test
  void theInitStepWaitsForAtMost32RestartedForHotPatchesAndTheNoteSaysSo() throws Exception {
    ObjectNode pod = pod();
    ObjectNode annotations = ((ObjectNode) pod.get("metadata")).putObject("annotations");
    for (int i = 0; i < 40; i++) {
      annotations.put("restart.hotpatch.io/patch-" + i, "uid-" + i + "." + (i + 1));
    }
    Injection injection = injector.inject("CREATE", "shop", pod);
    JsonNode patched = Reviews.apply(injection.patch(), pod);

    JsonNode env = patched.at("/spec/initContainers/0/env");
    String awaited = null;
    for (JsonNode entry : env) {
      if ("HOTPATCH_STARTUP_PATCHES".equals(entry.path("name").asText())) {
        awaited = entry.path("value").asText();
      }
    }
    assertThat(awaited).startsWith("uid-0,uid-1,").endsWith(",uid-31");
    assertThat(awaited.split(",")).hasSize(32);
    assertThat(injection.note()).contains("more than 32 restart.hotpatch.io/ annotations");
  }

  @Test
  void existingContainerNameEnvIsCorrectedNotDuplicated() throws Exception {
    JsonNode pod =
        with(
            pod(),
            "/spec/containers/0/env",
            "[{\"name\":\"HOTPATCH_CONTAINER_NAME\",\"value\":\"x\"}]");
    JsonNode patched = Reviews.apply(injector.inject("CREATE", "shop", pod).patch(), pod);
    assertThat(patched.at("/spec/containers/0/env").toString())
        .isEqualTo(
            "[{\"name\":\"HOTPATCH_CONTAINER_NAME\",\"value\":\"app\"},{\"name\":\"JAVA_TOOL_OPTIONS\","
                + "\"value\":\""
                + JavaToolOptions.FLAGS
                + "\"}]");
  }

  @Test
  void wrongJsonTypesAreMalformedNotCrashes() throws Exception {
    for (String[] bad :
        new String[][] {
          {"/spec/containers", "{}"},
          {"/spec/containers/0/env", "\"x\""},
          {"/spec/securityContext", "{\"runAsUser\":\"1000\"}"},
          {"/spec/hostNetwork", "\"yes\""},
          {"/metadata/labels", "[]"},
          {"/spec/containers/0/securityContext", "{\"runAsUser\":1.5}"}
        }) {
      JsonNode pod = with(pod(), bad[0], bad[1]);
      assertThatThrownBy(() -> injector.inject("CREATE", "shop", pod))
          .as(bad[0])
          .isInstanceOf(MalformedPodException.class);
    }
  }

  private void assertNote(JsonNode pod, String note) {
    Injection injection = injector.inject("CREATE", "shop", pod);
    assertThat(injection.injected()).isFalse();
    assertThat(injection.note()).isEqualTo(note);
    assertThat(
            Reviews.apply(injection.patch(), pod)
                .at("/metadata/annotations/hotpatch.io~1injection-note")
                .asText())
        .isEqualTo(note);
  }

  private static ObjectNode pod() throws Exception {
    return (ObjectNode)
        Reviews.MAPPER.readTree(
            """
        {"metadata":{"name":"p","namespace":"shop","labels":{"hotpatch.io/inject":"true"}},
         "spec":{"securityContext":{"runAsUser":1000,"runAsGroup":1000},
                 "containers":[{"name":"app","image":"shop:1"}]}}""");
  }

  /** The pod with the JSON at pointer (parent must exist) set to value. */
  private static JsonNode with(ObjectNode pod, String pointer, String value) throws Exception {
    int slash = pointer.lastIndexOf('/');
    ObjectNode parent = (ObjectNode) pod.at(pointer.substring(0, slash));
    parent.set(pointer.substring(slash + 1), Reviews.MAPPER.readTree(value));
    return pod;
  }
}
