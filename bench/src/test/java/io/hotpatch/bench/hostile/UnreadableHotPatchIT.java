package io.hotpatch.bench.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hotpatch.bench.Fleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * HotPatches the model cannot read or the operator must refuse, created as raw JSON past a schema
 * the mock API does not enforce (an unknown mode, no selector, a maxParallel that is no number):
 * each ends Degraded with reason InvalidSpec naming its field, the operator stays live and ready,
 * and a good HotPatch beside them still goes Ready, also after an operator restart that lists them.
 */
class UnreadableHotPatchIT {
  private static final Path WORK = Path.of("target", "hostile-it", "unreadable").toAbsolutePath();
  private static final int PODS = 2;
  private static final Duration WITHIN = Duration.ofSeconds(90);
  private static final String SELECTOR = "\"selector\": {\"matchLabels\": {\"app\": \"checkout\"}}";
  private static final Map<String, String> BAD =
      Map.of(
          "unknown-mode", SELECTOR + ", %s, \"strategy\": {\"mode\": \"Fast\"}",
          "no-selector", "%s",
          "bad-max-parallel", SELECTOR + ", %s, \"strategy\": {\"maxParallel\": \"lots\"}");
  private static final Map<String, String> FIELD =
      Map.of(
          "unknown-mode",
          "spec.strategy.mode",
          "no-selector",
          "spec.selector",
          "bad-max-parallel",
          "spec.strategy.maxParallel");

  @Test
  void unreadableHotPatchesAreDegradedWhileAGoodOneGoesReadyAndTheOperatorStaysLive()
      throws Exception {
    try (Fleet fleet =
        Fleet.quiet(Fleet.Settings.local(PODS, Duration.ofMillis(50), "100%", WORK))) {
      fleet.startOperator();
      fleet.connectSidecars();
      String sha = fleet.hotPatchSha();
      BAD.forEach((name, spec) -> createRaw(fleet, name, spec.formatted(bundle(sha))));
      fleet.createHotPatch("good");

      fleet.awaitReady("good", WITHIN);
      BAD.keySet().forEach(name -> awaitInvalidSpec(fleet, name));
      assertThat(fleet.operatorHealth("live")).as("liveness").isEqualTo(200);
      assertThat(fleet.operatorHealth("ready")).as("readiness").isEqualTo(200);

      fleet.killOperator();
      fleet.startOperator(); // throws unless the operator gets ready with the bad HotPatches in its
      // first list
      fleet.createHotPatch("good-after-restart");
      fleet.awaitReady("good-after-restart", WITHIN);
      BAD.keySet().forEach(name -> awaitInvalidSpec(fleet, name));
      assertThat(fleet.operatorHealth("live")).as("liveness after restart").isEqualTo(200);
    }
  }

  private static void awaitInvalidSpec(Fleet fleet, String name) {
    Fleet.await(
        WITHIN,
        () ->
            degraded(fleet, name)
                .filter(
                    c ->
                        "InvalidSpec".equals(c.get("reason"))
                            && String.valueOf(c.get("message")).contains(FIELD.get(name)))
                .isPresent(),
        () ->
            name
                + " is not Degraded InvalidSpec naming "
                + FIELD.get(name)
                + ": "
                + degraded(fleet, name));
  }

  @SuppressWarnings("unchecked")
  private static Optional<Map<String, Object>> degraded(Fleet fleet, String name) {
    GenericKubernetesResource hotPatch = raw(fleet).withName(name).get();
    Object conditions = hotPatch == null ? null : hotPatch.get("status", "conditions");
    return conditions == null
        ? Optional.empty()
        : ((List<Map<String, Object>>) conditions)
            .stream()
                .filter(c -> "Degraded".equals(c.get("type")) && "True".equals(c.get("status")))
                .findFirst();
  }

  private static void createRaw(Fleet fleet, String name, String spec) {
    String json =
        "{\"apiVersion\": \"hotpatch.io/v1alpha1\", \"kind\": \"HotPatch\", \"metadata\": {\"name\": \""
            + name
            + "\", \"namespace\": \""
            + Fleet.NAMESPACE
            + "\"}, \"spec\": {"
            + spec
            + "}}";
    raw(fleet).resource(Serialization.unmarshal(json, GenericKubernetesResource.class)).create();
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      raw(Fleet fleet) {
    return fleet
        .client()
        .genericKubernetesResources("hotpatch.io/v1alpha1", "HotPatch")
        .inNamespace(Fleet.NAMESPACE);
  }

  private static String bundle(String sha) {
    return "\"bundle\": {\"configMapRef\": {\"name\": \"fix-bundle\"}, \"sha256\": \""
        + sha
        + "\"}";
  }
}
