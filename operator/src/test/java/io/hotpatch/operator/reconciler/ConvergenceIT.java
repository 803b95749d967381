package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.javaoperatorsdk.operator.Operator;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Convergence: late pods, restarted JVMs, and an operator restart in the middle of a rollout. */
@OperatorOnMockApi
class ConvergenceIT extends OperatorTestSupport {
  @Inject Operator operator;

  @Test
  void aPodCreatedAfterTheRolloutGetsThePatch() {
    pod("checkout-a");
    pod("checkout-b");
    fixReady();

    pod("checkout-late");

    eventually()
        .until(
            () ->
                podEntry("fix", "checkout-late")
                    .map(p -> p.getState() == ResultState.APPLIED)
                    .orElse(false));
    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    assertThat(get("fix").getStatus().getPatched()).isEqualTo("3/3");
    assertThat(sidecars.hotApplies(namespace, "checkout-late")).isEqualTo(1);
    assertThat(sidecars.hotApplies(namespace, "checkout-a")).isEqualTo(1);
  }

  @Test
  void aRestartedJvmGetsThePatchAgain() {
    pod("checkout-a");
    sidecars.behave(namespace, "checkout-a").delay(Duration.ofMillis(300));
    fixReady();

    setPodStatus("checkout-a", true, 1);
    sidecars.restartJvm(namespace, "checkout-a");

    eventually().until(() -> sidecars.hotApplies(namespace, "checkout-a") == 2);
    eventually()
        .untilAsserted(
            () ->
                assertThat(podEntry("fix", "checkout-a"))
                    .hasValueSatisfying(
                        p -> {
                          assertThat(p.getState()).isEqualTo(ResultState.APPLIED);
                          assertThat(p.getRestartCount()).isEqualTo(1);
                        }));
    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
  }

  @Test
  void anOperatorRestartMidRolloutResumesWithoutApplyingAnythingTwice() {
    for (int i = 1; i <= 4; i++) {
      pod("checkout-" + i);
      sidecars.behave(namespace, "checkout-" + i).delay(Duration.ofMillis(400));
    }
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", sha, spec -> spec.getStrategy().setMaxParallel(new IntOrString(1)));
    eventually()
        .until(
            () -> get("fix").getStatus() != null && get("fix").getStatus().getPatchedPods() >= 2);
    Map<String, Integer> wavesBefore = waves();

    operator.stop();
    sidecars.simulateOperatorRestart();
    operator.start();

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    for (int i = 1; i <= 4; i++) {
      assertThat(sidecars.hotApplies(namespace, "checkout-" + i)).as("checkout-" + i).isEqualTo(1);
      assertThat(sidecars.reverts(namespace, "checkout-" + i)).isZero();
    }
    assertThat(waves()).containsAllEntriesOf(wavesBefore);
    assertThat(waves().values()).containsExactlyInAnyOrder(1, 2, 3, 4);
    eventually()
        .untilAsserted(
            () -> assertThat(events("WaveStarted")).as("no wave started twice").hasSize(4));
  }

  private Map<String, Integer> waves() {
    return get("fix").getStatus().getPods().stream()
        .collect(Collectors.toMap(PodPatchStatus::getName, PodPatchStatus::getWave));
  }
}
