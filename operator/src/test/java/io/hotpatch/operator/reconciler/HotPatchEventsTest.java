package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.hotpatch.operator.CrudApiServer;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.rollout.RolloutEvent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HotPatch Events are written after the reconcile that made them, in order, never holding it. */
class HotPatchEventsTest {
  private static HotPatch hotPatch() {
    HotPatch hotPatch = new HotPatch();
    hotPatch.setMetadata(
        new ObjectMetaBuilder().withNamespace("shop").withName("fix").withUid("u-1").build());
    return hotPatch;
  }

  @Test
  void anApiServerThatNeverAnswersHoldsNoReconcile() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
                        .withRequestTimeout(60_000)
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build()) {
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
