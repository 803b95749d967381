package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of the ephemeral container the operator adds to a pod without the sidecar: each
 * folder under webhook/ephemeral-golden holds a running pod (pod.json), optional settings
 * (settings.json: containerName, caPem null), and the expected outcome (ephemeral.json: the
 * container, or the refusal). The pod with the container must pass `restricted` whenever the pod
 * did. Regenerate only with -Dhotpatch.webhook.updateGolden=true, then review the diff.
 */
class EphemeralGoldenFilesTest {
  private static final Path GOLDEN =
      Path.of("src", "test", "resources", "webhook", "ephemeral-golden");

  static Stream<String> cases() throws IOException {
    return GoldenFilesTest.cases(GOLDEN);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesGoldenAndPassesRestricted(String name) throws Exception {
    Path dir = GOLDEN.resolve(name);
    JsonNode podJson = Reviews.MAPPER.readTree(dir.resolve("pod.json").toFile());
    JsonNode settings =
        Files.exists(dir.resolve("settings.json"))
            ? Reviews.MAPPER.readTree(dir.resolve("settings.json").toFile())
            : Reviews.MAPPER.createObjectNode();
    Optional<String> caPem =
        settings.has("caPem") && settings.get("caPem").isNull()
            ? Optional.empty()
            : Optional.of(Reviews.CA_PEM);
    Pod pod = Reviews.MAPPER.treeToValue(podJson, Pod.class);
    assertThat(EphemeralContainerTemplate.hasSidecar(pod)).isFalse();

    EphemeralContainerTemplate.Plan plan =
        new EphemeralContainerTemplate(Reviews.settings(SidecarMode.NATIVE, caPem))
            .plan(
                pod,
                settings.path("containerName").isTextual()
                    ? settings.get("containerName").asText()
                    : null);

    ObjectNode outcome = Reviews.MAPPER.createObjectNode();
    if (plan.refusal() != null) {
      assertThat(plan.container()).isNull();
      outcome.put("refusal", plan.refusal());
      GoldenFilesTest.golden(dir.resolve("ephemeral.json"), outcome);
      return;
    }
    JsonNode container = Reviews.MAPPER.valueToTree(plan.container());
    GoldenFilesTest.golden(dir.resolve("ephemeral.json"), container);
    ObjectNode patched = podJson.deepCopy();
    ((ObjectNode) patched.path("spec")).putArray("ephemeralContainers").add(container);
    assertThat(
            EphemeralContainerTemplate.hasEphemeral(Reviews.MAPPER.treeToValue(patched, Pod.class)))
        .isTrue();
    assertThat(container.path("resources").isMissingNode())
        .as("ephemeral containers may not set resources")
        .isTrue();
    assertThat(RestrictedPodSecurity.violations(patched, List.of(EphemeralContainerTemplate.NAME)))
        .as("the ephemeral container under `restricted`")
        .isEmpty();
    if (RestrictedPodSecurity.violations(podJson, RestrictedPodSecurity.names(podJson)).isEmpty()) {
      assertThat(RestrictedPodSecurity.violations(patched, RestrictedPodSecurity.names(patched)))
          .as("a pod that passed `restricted` still passes with the ephemeral container")
          .isEmpty();
    }
  }
}
