package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.hotpatch.operator.CrudApiServer;
import io.hotpatch.operator.LocalApiClient;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.rollout.RolloutEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** HotPatch Events are written after the reconcile that made them, in order, never holding it. */
class HotPatchEventsTest {
  private static HotPatch hotPatch() {
    return hotPatch("shop");
  }

  private static HotPatch hotPatch(String namespace) {
    HotPatch hotPatch = new HotPatch();
    hotPatch.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespace).withName("fix").withUid("u-1").build());
    return hotPatch;
  }

  @Test
  void anApiServerThatNeverAnswersHoldsNoReconcile() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        KubernetesClient client = LocalApiClient.at(silent.getLocalPort())) {
      HotPatchEvents events = new HotPatchEvents(client);
      long start = System.nanoTime();
      for (int i = 0; i < HotPatchEvents.MAX_PENDING + 10; i++) {
        events.record(
            hotPatch(), RolloutEvent.normal(Reason.WaveStarted, "Wave " + i + " started"));
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void oneNamespacesFloodOfEventsLeavesRoomForAnothers() throws Exception {
    // An API server that takes 20 ms per Event, so that a flood outruns the writer.
    Map<String, AtomicInteger> created = new ConcurrentHashMap<>();
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    slow.createContext(
        "/api/v1/namespaces/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          created
              .computeIfAbsent(
                  exchange.getRequestURI().getPath().split("/")[4], key -> new AtomicInteger())
              .incrementAndGet();
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(201, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    slow.start();
    try (KubernetesClient client = LocalApiClient.at(slow.getAddress().getPort())) {
      HotPatchEvents events = new HotPatchEvents(client);
      // Twice what the queue holds: without a share per namespace it is full at the end.
      for (int i = 0; i < 2 * HotPatchEvents.MAX_PENDING; i++) {
        events.record(
            hotPatch("busy"), RolloutEvent.normal(Reason.WaveStarted, "Wave " + i + " started"));
      }
      events.record(hotPatch("quiet"), RolloutEvent.normal(Reason.WaveStarted, "Wave 1 started"));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(created).containsKey("quiet"));
      assertThat(created.get("busy").get())
          .as("busy Events written before the quiet one")
          .isLessThanOrEqualTo(2 * HotPatchEvents.MAX_PENDING_PER_NAMESPACE);
    } finally {
      slow.stop(0);
    }
  }

  @Test
  void eventsArriveInOrderAndARepeatRaisesTheCount() {
    KubernetesMockServer api = CrudApiServer.start();
    try (KubernetesClient client = api.createClient()) {
      HotPatchEvents events = new HotPatchEvents(client);
      events.record(hotPatch(), RolloutEvent.normal(Reason.WaveStarted, "Canary wave started: a"));
      events.record(hotPatch(), RolloutEvent.normal(Reason.WaveStarted, "Wave 1 started: b"));
      events.record(hotPatch(), RolloutEvent.normal(Reason.WaveStarted, "Wave 1 started: b"));

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                List<Event> written = client.v1().events().inNamespace("shop").list().getItems();
                assertThat(written)
                    .extracting(Event::getMessage, Event::getCount)
                    .containsExactlyInAnyOrder(
                        tuple("Canary wave started: a", 1), tuple("Wave 1 started: b", 2));
              });
    } finally {
      api.destroy();
    }
  }
}
