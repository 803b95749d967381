package io.hotpatch.bench.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The webhook over plain HTTP, and a burst of requests with a note: plain HTTP reaches no webhook
 * and writes no Event; 500 notes over HTTPS become one Event counted 500 times.
 */
@ExtendWith(SharedOperator.class)
class PlainHttpWebhookIT {
  /**
   * A pod whose JAVA_TOOL_OPTIONS comes from a ConfigMap: injected, with a note the webhook
   * records.
   */
  private static final String REVIEW =
      """
      {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": "u-1", "operation": "CREATE", "namespace": "victim",
        "kind": {"group": "", "version": "v1", "kind": "Pod"},
        "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"namespace": "victim",
            "generateName": "checkout-7d9f8c-", "labels": {"hotpatch.io/inject": "true"}},
          "spec": {"securityContext": {"runAsUser": 1000, "runAsGroup": 1000},
            "containers": [{"name": "app", "image": "shop:1", "env": [{"name": "JAVA_TOOL_OPTIONS",
              "valueFrom": {"configMapKeyRef": {"name": "jvm", "key": "options"}}}]}]}}}}
      """;

  private static final int NOTES = 500;

  @Test
  void plainHttpReachesNoWebhookAndFiveHundredNotesAreOneCountedEvent(HostileRig rig)
      throws Exception {
    HttpResponse<String> plain =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(rig.operator().managementUrl().resolve("/mutate-pods"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(REVIEW))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).as("POST /mutate-pods on the plain HTTP port").isEqualTo(404);

    RawHttps https = rig.raw();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<RawHttps.Response>> answers = new ArrayList<>();
    for (int i = 0; i < NOTES; i++) {
      answers.add(
          pool.submit(
              () ->
                  https.send(
                      HostileRig.loopback(1),
                      "POST",
                      "/mutate-pods",
                      Map.of("Content-Type", "application/json"),
                      REVIEW)));
    }
    for (Future<RawHttps.Response> answer : answers) {
      assertThat(answer.get().status()).isEqualTo(200);
      assertThat(answer.get().body()).contains("\"allowed\":true", "\"patch\"");
    }
    pool.shutdown();

    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<Event> events;
    do {
      Thread.sleep(200);
      events = rig.api().client().v1().events().inNamespace("victim").list().getItems();
    } while (System.nanoTime() < deadline
        && events.stream().mapToInt(e -> e.getCount()).sum() < NOTES);
    assertThat(events)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getCount()).isEqualTo(NOTES);
              assertThat(event.getReason()).isEqualTo("HotpatchInjectedWithNote");
            });
    System.out.printf(
        "plain HTTP POST /mutate-pods: %d; %d notes over HTTPS: %d Event(s), count %d%n",
        plain.statusCode(), NOTES, events.size(), events.get(0).getCount());
  }
}
