package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: each folder under webhook/golden holds a pod (pod.json), optional settings
 * (settings.json), the expected patch (patch.json) and the pod after the patch (patched.json). The
 * patched pod fed back in must yield no patch. Regenerate only with
 * -Dhotpatch.webhook.updateGolden=true, then review the diff.
 */
class GoldenFilesTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "webhook", "golden");
  private static final boolean UPDATE = Boolean.getBoolean("hotpatch.webhook.updateGolden");

  static Stream<String> cases() throws IOException {
    return cases(GOLDEN);
  }

  /** The case folders under {@code root}, by name. */
  static Stream<String> cases(Path root) throws IOException {
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs
          .filter(Files::isDirectory)
          .map(dir -> dir.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesGoldenAndIsIdempotent(String name) throws Exception {
    Path dir = GOLDEN.resolve(name);
    JsonNode pod = Reviews.MAPPER.readTree(dir.resolve("pod.json").toFile());
    InjectionSettings settings = settings(dir.resolve("settings.json"));

    ArrayNode patch = admit(name, pod, settings);
    JsonNode patched = Reviews.apply(patch, pod);
    golden(dir.resolve("patch.json"), patch);
    golden(dir.resolve("patched.json"), patched);

    assertThat(admit(name + "-again", patched, settings))
        .as("the webhook's own output fed back in")
        .isEmpty();
    if (!RestrictedPodSecurity.names(pod).contains(SidecarTemplates.SIDECAR_NAME)
        && RestrictedPodSecurity.names(patched).contains(SidecarTemplates.SIDECAR_NAME)) {
      List<String> ours = List.of(SidecarTemplates.INIT_NAME, SidecarTemplates.SIDECAR_NAME);
      assertThat(RestrictedPodSecurity.violations(patched, ours))
          .as("injected containers under `restricted`")
          .isEmpty();
    }
    if (RestrictedPodSecurity.violations(pod, RestrictedPodSecurity.names(pod)).isEmpty()) {
      assertThat(RestrictedPodSecurity.violations(patched, RestrictedPodSecurity.names(patched)))
          .as("a pod that passed `restricted` still passes after injection")
          .isEmpty();
    }
  }

  private static ArrayNode admit(String uid, JsonNode pod, InjectionSettings settings)
      throws Exception {
    String body = Reviews.MAPPER.writeValueAsString(Reviews.request(uid, "CREATE", pod));
    AdmissionResponse response =
        new AdmissionHandler().handle(body, settings).review().getResponse();
    assertThat(response.getUid()).isEqualTo(uid);
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getPatchType()).isEqualTo(response.getPatch() == null ? null : "JSONPatch");
    return Reviews.patch(response);
  }

  private static InjectionSettings settings(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Reviews.settings();
    }
    JsonNode json = Reviews.MAPPER.readTree(file.toFile());
    SidecarMode mode = SidecarMode.parse(json.path("mode").asText("native"));
    Optional<String> caPem =
        json.has("caPem") && json.get("caPem").isNull()
            ? Optional.empty()
            : Optional.of(Reviews.CA_PEM);
    return Reviews.settings(
        mode,
        caPem,
        json.path("startupWaitSeconds").asInt(InjectionSettings.DEFAULT_STARTUP_WAIT_SECONDS));
  }

  /**
   * Compares {@code actual} with the file, or writes it with -Dhotpatch.webhook.updateGolden=true.
   */
  static void golden(Path file, JsonNode actual) throws IOException {
    String text =
        Reviews.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(actual)
            + "\n";
    if (UPDATE) {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file)
        .as("%s is missing: run with -Dhotpatch.webhook.updateGolden=true, then review it", file)
        .exists();
    assertThat(Reviews.MAPPER.readTree(file.toFile()))
        .as(
            "%s differs (if intended, rerun with -Dhotpatch.webhook.updateGolden=true and review the diff)",
            file)
        .isEqualTo(
            Reviews.MAPPER.readTree(text)); // as read back: Long and int numbers compare equal
  }
}
