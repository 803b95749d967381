package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Test helpers: AdmissionReview requests around a pod, the settings the goldens use, and patch
 * decoding.
 */
final class Reviews {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String CA_PEM =
      "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIQtest\n-----END CERTIFICATE-----\n";

  private Reviews() {}

  static InjectionSettings settings(SidecarMode mode, Optional<String> caPem) {
    return settings(mode, caPem, InjectionSettings.DEFAULT_STARTUP_WAIT_SECONDS);
  }

  static InjectionSettings settings(
      SidecarMode mode, Optional<String> caPem, int startupWaitSeconds) {
    return new InjectionSettings(
        "registry.example/hotpatch-sidecar:0.1.0",
        "IfNotPresent",
        mode,
        "https://hotpatch-operator.hotpatch-system.svc:443",
        "hotpatch-system",
        Set.of("legacy"),
        caPem,
        startupWaitSeconds);
  }

  static InjectionSettings settings() {
    return settings(SidecarMode.NATIVE, Optional.of(CA_PEM));
  }

  static ObjectNode request(String uid, String operation, JsonNode pod) {
    ObjectNode review = MAPPER.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", uid);
    request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
    request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
    request.put("operation", operation);
    request.put("namespace", pod.path("metadata").path("namespace").asText());
    request.set("object", pod);
    return review;
  }

  /** The decoded JSON patch of a response, [] when there is none. */
  static ArrayNode patch(AdmissionResponse response) throws Exception {
    if (response.getPatch() == null) {
      return MAPPER.createArrayNode();
    }
    return (ArrayNode) MAPPER.readTree(Base64.getDecoder().decode(response.getPatch()));
  }

  static JsonNode apply(ArrayNode patch, JsonNode pod) {
    return JsonPatch.apply(patch, pod);
  }
}
