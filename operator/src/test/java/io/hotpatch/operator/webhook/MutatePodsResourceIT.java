package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.TestTls;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /mutate-pods over HTTPS on the running operator: the answer, and the Event for a note. */
@OperatorOnMockApi
class MutatePodsResourceIT {
  private final HttpClient http =
      HttpClient.newBuilder().sslContext(TestTls.clientContext()).build();

  @TestHTTPResource(value = "/mutate-pods", tls = true)
  URI endpoint;

  @Inject KubernetesClient client;

  @Test
  void injectsOverHttpsAndRecordsAnEventWhenJavaToolOptionsComesFromValueFrom() throws Exception {
    String namespace = "web-" + UUID.randomUUID().toString().substring(0, 8);
    ObjectNode pod =
        (ObjectNode)
            Reviews.MAPPER.readTree(
                Path.of("src/test/resources/webhook/golden/java-tool-options-value-from/pod.json")
                    .toFile());
    ((ObjectNode) pod.get("metadata")).put("namespace", namespace);

    JsonNode answer = post(Reviews.request("uid-http", "CREATE", pod).toString());

    JsonNode response = answer.path("response");
    assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(response.path("uid").asText()).isEqualTo("uid-http");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    JsonNode patch =
        Reviews.MAPPER.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    JsonNode patched = Reviews.apply((ArrayNode) patch, pod);
    assertThat(patched.at("/spec/initContainers/1/name").asText())
        .isEqualTo(SidecarTemplates.SIDECAR_NAME);
    assertThat(patched.at("/metadata/annotations").path(PodInjector.NOTE_ANNOTATION).asText())
        .contains("left unchanged because it is set through valueFrom");

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(namespace).list().getItems())
                    .singleElement()
                    .satisfies(
                        (Event event) -> {
                          assertThat(event.getReason())
                              .isEqualTo(Reason.HotpatchInjectedWithNote.name());
                          assertThat(event.getType()).isEqualTo("Warning");
                          assertThat(event.getInvolvedObject().getName())
                              .isEqualTo("checkout-7d9f8c-");
                        }));
  }

  @Test
  void malformedBodyIsAllowedUnchanged() throws Exception {
    JsonNode answer = post("{\"request\": {\"uid\": \"uid-bad\", \"object\": [");
    assertThat(answer.path("response").path("allowed").asBoolean()).isTrue();
    assertThat(answer.path("response").path("uid").asText()).isEmpty();
    assertThat(answer.path("response").has("patch")).isFalse();
  }

  private JsonNode post(String body) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    return Reviews.MAPPER.readTree(response.body());
  }
}
