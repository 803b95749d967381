package io.hotpatch.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import javax.net.ssl.SSLContext;

/**
 * The API server's side of the mutating webhook: sends a pod to /mutate-pods and applies the JSON
 * patch it answers.
 */
final class Admission {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI webhook;
  private final HttpClient client;

  Admission(URI operatorHttps, SSLContext trust) {
    this.webhook = operatorHttps.resolve("/mutate-pods");
    this.client =
        HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(30)).build();
  }

  /** The pod as the API server stores it after the webhook's patch: CREATE in {@code namespace}. */
  Pod admit(Pod pod, String namespace) throws IOException, InterruptedException {
    JsonNode object = JSON.valueToTree(pod);
    ObjectNode review =
        JSON.createObjectNode()
            .put("apiVersion", "admission.k8s.io/v1")
            .put("kind", "AdmissionReview");
    ObjectNode request =
        review
            .putObject("request")
            .put("uid", UUID.randomUUID().toString())
            .put("namespace", namespace)
            .put("operation", "CREATE");
    request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
    request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
    request.set("object", object);
    HttpResponse<String> answer =
        client.send(
            HttpRequest.newBuilder(webhook)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(review)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(
          "POST " + webhook + " answered " + answer.statusCode() + ": " + answer.body());
    }
    JsonNode response = JSON.readTree(answer.body()).path("response");
    if (!response.path("allowed").asBoolean(false)
        || !"JSONPatch".equals(response.path("patchType").asText())) {
      throw new IllegalStateException(
          "the webhook allowed no patch for pod "
              + pod.getMetadata().getName()
              + ": "
              + answer.body());
    }
    JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    return JSON.treeToValue(JsonPatch.apply(patch, object), Pod.class);
  }
}
