package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * Turns an AdmissionReview request body into the AdmissionReview answer. Never throws and always
 * allows the pod: the webhook fails open, a pod without the sidecar still runs.
 */
public final class AdmissionHandler {
  private static final Logger LOG = Logger.getLogger(AdmissionHandler.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The answer, plus what to tell the user in an Event (null when nothing to tell). */
  public record Handled(AdmissionReview review, Notice notice) {}

  /** A note worth an Event in the pod's namespace; the pod has no uid yet at admission. */
  public record Notice(String namespace, String podName, boolean injected, String message) {}

  public Handled handle(String body, InjectionSettings settings) {
    String uid = "";
    try {
      JsonNode request = MAPPER.readTree(body == null ? "" : body).path("request");
      uid = request.path("uid").isTextual() ? request.path("uid").textValue() : "";
      if (!isPodRequest(request)) {
        return new Handled(allow(uid, null), null);
      }
      String namespace =
          request.path("namespace").isTextual() ? request.path("namespace").textValue() : null;
      JsonNode pod = request.get("object");
      Injection injection =
          new PodInjector(settings).inject(request.path("operation").asText(null), namespace, pod);
      Notice notice = null;
      if (injection.note() != null
          && !injection.patch().isEmpty()
          && !request.path("dryRun").asBoolean(false)) {
        notice = new Notice(namespace, podName(pod), injection.injected(), injection.note());
      }
      return new Handled(
          allow(
              uid,
              injection.patch().isEmpty() ? null : MAPPER.writeValueAsBytes(injection.patch())),
          notice);
    } catch (MalformedPodException e) {
      LOG.debugf("Admission request %s left alone: the pod is malformed (%s)", uid, e.getMessage());
    } catch (JsonProcessingException e) {
      LOG.warnf(
          "Admission request body is not JSON (%s); allowed unchanged. Fix: point only the API server at "
              + "/mutate-pods",
          e.getOriginalMessage());
    } catch (RuntimeException e) {
      LOG.errorf(
          e,
          "Admission request %s allowed without the sidecar because the webhook failed; "
              + "this is a bug, please report it with the pod spec",
          uid);
    }
    return new Handled(allow(uid, null), null);
  }

  /** The answer as JSON, exactly as the endpoint sends it. */
  public static String toJson(AdmissionReview review) {
    try {
      return MAPPER.writeValueAsString(review);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "AdmissionReview could not be written as JSON: " + e.getMessage(), e);
    }
  }

  private static boolean isPodRequest(JsonNode request) {
    JsonNode kind = request.path("kind");
    boolean pod = kind.isMissingNode() || "Pod".equals(kind.path("kind").asText(null));
    JsonNode subResource = request.path("subResource");
    return pod
        && (subResource.isMissingNode()
            || subResource.isNull()
            || subResource.asText("").isEmpty());
  }

  private static String podName(JsonNode pod) {
    JsonNode metadata = pod == null ? null : pod.path("metadata");
    if (metadata == null) {
      return "";
    }
    String name = metadata.path("name").asText("");
    return name.isEmpty() ? metadata.path("generateName").asText("") : name;
  }

  private static AdmissionReview allow(String uid, byte[] patch) {
    AdmissionResponseBuilder response =
        new AdmissionResponseBuilder().withUid(uid).withAllowed(true);
    if (patch != null) {
      response.withPatchType("JSONPatch").withPatch(Base64.getEncoder().encodeToString(patch));
    }
    AdmissionResponse built = response.build();
    return new AdmissionReviewBuilder()
        .withApiVersion("admission.k8s.io/v1")
        .withKind("AdmissionReview")
        .withResponse(built)
        .build();
  }
}
