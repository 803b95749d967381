package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import org.junit.jupiter.api.Test;

/** A failure halts the rollout with Degraded and reverts the pods of the failed wave. */
@OperatorOnMockApi
class HaltAndRevertIT extends OperatorTestSupport {

  @Test
  void aPodReportingFailedHaltsTheRolloutAndRevertsItsWave() {
    for (String name :
        new String[] {"checkout-a", "checkout-b", "checkout-c", "checkout-d", "checkout-e"}) {
      pod(name);
    }
    sidecars.behave(namespace, "checkout-d").result(ResultState.FAILED);
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    hotPatch("fix", sha, spec -> spec.getStrategy().setMaxParallel(new IntOrString(2)));

    awaitCondition("fix", "Degraded", "True", "RolloutHalted");
    eventually().until(() -> stateOf("fix", "checkout-c") == ResultState.REVERTED);
    HotPatchStatus status = get("fix").getStatus();
    assertThat(status.getHaltedWave()).isEqualTo(2);
    assertThat(status.getFailedPods()).isEqualTo(1);
    assertThat(stateOf("fix", "checkout-d")).isEqualTo(ResultState.FAILED);
    assertThat(stateOf("fix", "checkout-a")).isEqualTo(ResultState.APPLIED);
    assertThat(stateOf("fix", "checkout-b")).isEqualTo(ResultState.APPLIED);
    assertThat(podEntry("fix", "checkout-e"))
        .as("the wave after the failure never starts")
        .isEmpty();
    assertThat(sidecars.reverts(namespace, "checkout-c")).isEqualTo(1);
    assertThat(sidecars.reverts(namespace, "checkout-a"))
        .as("earlier waves keep the patch")
        .isZero();
    assertThat(sidecars.hotApplies(namespace, "checkout-e")).isZero();
    assertThat(condition("fix", "Progressing"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(condition("fix", "Degraded"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getMessage())
                    .contains("checkout-d failed in wave 2")
                    .contains("new sha256"));
    eventually()
        .untilAsserted(
            () ->
                assertThat(events("RolloutHalted"))
                    .hasSize(1)
                    .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning")));
  }

  @Test
  void aCanaryTurningNotReadyDuringItsSoakHaltsTheRollout() {
    startCanaryWithLongSoak();

    setPodStatus("checkout-1", false, 0);

    awaitHaltedCanary("NotReady");
  }

  @Test
  void aCanaryContainerRestartDuringItsSoakHaltsTheRollout() {
    startCanaryWithLongSoak();

    setPodStatus("checkout-1", true, 1);

    awaitHaltedCanary("container restarted");
  }

  private void startCanaryWithLongSoak() {
    pod("checkout-1");
    pod("checkout-2");
    pod("checkout-3");
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", sha, spec -> spec.getStrategy().setCanary(canaryOf(1, 600)));
    awaitCondition("fix", "Progressing", "True", "CanarySoaking");
  }

  private void awaitHaltedCanary(String why) {
    awaitCondition("fix", "Degraded", "True", "CanaryFailed");
    assertThat(podEntry("fix", "checkout-1"))
        .hasValueSatisfying(
            p -> {
              assertThat(p.getState()).isEqualTo(ResultState.FAILED);
              assertThat(p.getMessage()).contains(why);
            });
    eventually().until(() -> sidecars.reverts(namespace, "checkout-1") == 1);
    assertThat(sidecars.hotApplies(namespace, "checkout-2")).isZero();
    assertThat(sidecars.hotApplies(namespace, "checkout-3")).isZero();
    assertThat(get("fix").getStatus().getHaltedWave()).isZero();
  }
}
