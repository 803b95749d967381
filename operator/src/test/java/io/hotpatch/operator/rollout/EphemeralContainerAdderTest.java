package io.hotpatch.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hotpatch.operator.LocalApiClient;
import io.hotpatch.operator.rollout.EphemeralContainerAdder.Outcome;
import io.hotpatch.operator.rollout.EphemeralContainerAdder.Request;
import io.hotpatch.operator.rollout.EphemeralContainerAdder.Result;
import io.hotpatch.operator.webhook.EphemeralContainerTemplate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plain HTTP server plays the API server, answering each pod's GET and holding each subresource
 * PATCH for a while, so the adder's overlapping calls can be counted.
 */
class EphemeralContainerAdderTest {
  private static final String PREFIX = "/api/v1/namespaces/shop/pods/";

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private final Map<String, AtomicInteger> patches = new ConcurrentHashMap<>();
  private final ExecutorService serverThreads = Executors.newFixedThreadPool(32);
  private HttpServer server;
  private KubernetesClient client;
  private EphemeralContainerAdder adder;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
    server.setExecutor(serverThreads);
    server.createContext(PREFIX, this::serve);
    server.start();
    client = LocalApiClient.at(server.getAddress().getPort());
    adder = new EphemeralContainerAdder(client);
  }

  @AfterEach
  void stop() {
    adder.stop();
    client.close();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  @Test
  void aWaveOverlapsItsCallsAtMostInFlightAtOnceAndPatchesEachPodOnce() {
    List<Request> wave =
        IntStream.range(0, 5 * EphemeralContainerAdder.IN_FLIGHT)
            .mapToObj(i -> request("p-" + i, "uid-p-" + i))
            .toList();

    List<Outcome> outcomes = adder.addAll(wave);

    assertThat(outcomes).hasSize(wave.size()).allMatch(o -> o.result() == Result.ADDED);
    assertThat(patches).hasSize(wave.size()).allSatisfy((pod, n) -> assertThat(n).hasValue(1));
    assertThat(mostInFlight.get()).isBetween(2, EphemeralContainerAdder.IN_FLIGHT);
  }

  @Test
  void eachPodSaysWhatBecameOfIt() {
    List<Outcome> outcomes =
        adder.addAll(
            List.of(
                request("p-1", "uid-p-1"),
                request("replaced-1", "uid-replaced-1"),
                request("has-one", "uid-has-one"),
                request("forbidden", "uid-forbidden")));

    assertThat(outcomes)
        .extracting(Outcome::result)
        .containsExactly(Result.ADDED, Result.GONE, Result.PRESENT, Result.REFUSED);
    assertThat(outcomes.get(3).failure()).startsWith("403 ");
    assertThat(patches).containsOnlyKeys("p-1", "forbidden");
  }

  private static Request request(String pod, String uid) {
    return new Request(
        "shop",
        pod,
        uid,
        new EphemeralContainerBuilder()
            .withName(EphemeralContainerTemplate.NAME)
            .withImage("hotpatch/hotpatch-sidecar:test")
            .build());
  }

  /** GET: the pod (another uid for "replaced-", the container already in "has-one"); PATCH. */
  private void serve(HttpExchange exchange) throws IOException {
    String rest = exchange.getRequestURI().getPath().substring(PREFIX.length());
    String pod = rest.split("/")[0];
    if (exchange.getRequestMethod().equals("GET")) {
      PodBuilder found =
          new PodBuilder()
              .withNewMetadata()
              .withName(pod)
              .withNamespace("shop")
              .withUid(pod.startsWith("replaced-") ? "uid-new" : "uid-" + pod)
              .endMetadata()
              .withNewSpec()
              .endSpec();
      if (pod.equals("has-one")) {
        found
            .editSpec()
            .addNewEphemeralContainer()
            .withName(EphemeralContainerTemplate.NAME)
            .endEphemeralContainer()
            .endSpec();
      }
      answer(exchange, 200, Serialization.asJson(found.build()));
      return;
    }
    patches.computeIfAbsent(pod, key -> new AtomicInteger()).incrementAndGet();
    if (pod.equals("forbidden")) {
      answer(
          exchange,
          403,
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":403,"
              + "\"message\":\"pods/ephemeralcontainers is forbidden\"}");
      return;
    }
    int now = inFlight.incrementAndGet();
    mostInFlight.accumulateAndGet(now, Math::max);
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
    answer(
        exchange,
        200,
        Serialization.asJson(
            new PodBuilder().withNewMetadata().withName(pod).endMetadata().build()));
  }

  private static void answer(HttpExchange exchange, int code, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
