package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Liveness names every informer that stopped, and only those. */
class InformerLivenessTest {
  @Test
  void aStoppedInformerIsNamedAndRunningOnesAreNot() {
    Map<String, InformerWrappingEventSourceHealthIndicator<?>> sources =
        Map.of(
            "hotpatches", () -> Map.of("fleet", informer(false), "shop", informer(true)),
            "pods", () -> Map.of("fleet", informer(true)));

    assertThat(InformerLiveness.stopped("hotpatch", sources))
        .containsExactly("hotpatch/hotpatches/fleet");
  }

  @Test
  void runningInformersAreLive() {
    assertThat(
            InformerLiveness.stopped(
                "hotpatch", Map.of("pods", () -> Map.of("fleet", informer(true)))))
        .isEmpty();
  }

  private static InformerHealthIndicator informer(boolean running) {
    return new InformerHealthIndicator() {
      @Override
      public boolean hasSynced() {
        return true;
      }

      @Override
      public boolean isWatching() {
        return running;
      }

      @Override
      public boolean isRunning() {
        return running;
      }

      @Override
      public String getTargetNamespace() {
        return "fleet";
      }

      @Override
      public Status getStatus() {
        return running ? Status.HEALTHY : Status.UNHEALTHY;
      }
    };
  }
}
