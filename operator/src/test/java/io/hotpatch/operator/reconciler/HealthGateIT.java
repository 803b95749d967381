package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.HealthState;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.HealthCheck;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchSpec;
import io.hotpatch.operator.api.v1alpha1.HttpGetCheck;
import io.hotpatch.operator.channel.DesiredPatch;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The health gate: while a wave is watched, a failed check, the JVM gone or the patch inactive (as
 * the sidecar sees them), or Ready lost or a restart (as the cluster does) halts with CanaryFailed,
 * reverts the wave live and leaves the other pods alone; a declared check holds a wave until it
 * passes.
 */
@OperatorOnMockApi
class HealthGateIT extends OperatorTestSupport {
  private static final String FAILED_CHECK =
      "GET http://127.0.0.1:8080/price answered 500, expected 200 3 times in a row (failureThreshold 3)";

  @Test
  void aFailingDeclaredCheckOnTheCanaryHaltsRevertsAndNamesThePodAndTheCheck() {
    threePods();
    sidecars.behave(namespace, "checkout-1").health(HealthState.FAILED, FAILED_CHECK);

    hotPatch("fix", sha(1), spec -> canary(spec, 600, true));

    awaitCanaryFailed("checkout-1", FAILED_CHECK);
    assertThat(desired("checkout-1").healthCheck()).as("a halted wave is not watched").isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "the JVM exited | the JVM (pid 7) running the patch exited",
        "the patch is gone | patch 0123456789ab is no longer active in JVM pid 7 (reverted outside the operator?)",
      })
  void theSidecarSeeingTheJvmOrThePatchGoneDuringTheSoakHaltsTheCanary(
      String what, String verdict) {
    threePods();
    hotPatch("fix", sha(1), spec -> canary(spec, 600, false));
    awaitCondition("fix", "Progressing", "True", "CanarySoaking");

    sidecars.verdict(namespace, "checkout-1", HealthState.FAILED, verdict);

    awaitCanaryFailed("checkout-1", verdict);
  }

  @Test
  void aDeclaredCheckHoldsTheWaveUntilItPassesAndIsDroppedOnceTheRolloutIsDone() {
    threePods();
    sidecars
        .behave(namespace, "checkout-1")
        .health(
            HealthState.FAILING,
            "GET http://127.0.0.1:8080/price failed (java.net.ConnectException: Connection refused) 1 time in a row,"
                + " failing at 3");

    hotPatch("fix", sha(1), spec -> canary(spec, 0, true));

    eventually()
        .until(
            () ->
                podEntry("fix", "checkout-1")
                    .map(p -> p.getHealth())
                    .orElse("")
                    .startsWith("FAILING"));
    assertThat(desired("checkout-1").healthCheck())
        .isNotNull()
        .satisfies(
            probe ->
                assertThat(probe.toString())
                    .isEqualTo("GET /price port 8080 expect 200 threshold 3 period 5s timeout 1s"));
    awaitCondition("fix", "Progressing", "True", "WaveInProgress");
    assertThat(podEntry("fix", "checkout-2"))
        .as("the next wave waits for a passing check")
        .isEmpty();

    sidecars.verdict(
        namespace,
        "checkout-1",
        HealthState.PASSING,
        "GET http://127.0.0.1:8080/price answered 200");

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    for (String pod : new String[] {"checkout-1", "checkout-2", "checkout-3"}) {
      assertThat(desired(pod).healthCheck()).as(pod + ": no check once its wave is done").isNull();
      assertThat(podEntry("fix", pod)).hasValueSatisfying(p -> assertThat(p.getHealth()).isNull());
    }
    assertThat(condition("fix", "Degraded"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
  }

  @Test
  void aNewBundleAfterAFailedCanaryStartsAFreshRollout() {
    threePods();
    sidecars.behave(namespace, "checkout-1").health(HealthState.FAILED, FAILED_CHECK);
    hotPatch("fix", sha(1), spec -> canary(spec, 0, true));
    awaitCondition("fix", "Degraded", "True", "CanaryFailed");
    eventually().until(() -> sidecars.reverts(namespace, "checkout-1") == 1);

    sidecars
        .behave(namespace, "checkout-1")
        .health(HealthState.PASSING, "GET http://127.0.0.1:8080/price answered 200");
    String fixed = bundleConfigMap("fix-bundle-2", TestBundles.priceFix(2));
    HotPatch hotPatch = get("fix");
    hotPatch.getSpec().getBundle().getConfigMapRef().setName("fix-bundle-2");
    hotPatch.getSpec().getBundle().setSha256(fixed);
    client.resource(hotPatch).update();

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    HotPatch done = get("fix");
    assertThat(done.getStatus().getHaltedWave()).isNull();
    assertThat(done.getStatus().getHaltReason()).isNull();
    assertThat(sidecars.hotApplies(namespace, "checkout-2")).isEqualTo(1);
  }

  /** What the operator publishes to the pod's sidecar for HotPatch fix. */
  private DesiredPatch desired(String pod) {
    String uid = client.pods().inNamespace(namespace).withName(pod).get().getMetadata().getUid();
    return sidecars.desiredFor(uid).stream()
        .filter(d -> d.key().name().equals("fix"))
        .findFirst()
        .orElseThrow();
  }

  private void threePods() {
    pod("checkout-1");
    pod("checkout-2");
    pod("checkout-3");
  }

  private String sha(int variant) {
    return bundleConfigMap("fix-bundle", TestBundles.priceFix(variant));
  }

  private static void canary(HotPatchSpec spec, int soakSeconds, boolean declareCheck) {
    spec.getStrategy().setCanary(canaryOf(1, soakSeconds));
    spec.getStrategy().setMaxParallel(new IntOrString("100%"));
    if (declareCheck) {
      HttpGetCheck get = new HttpGetCheck();
      get.setPath("/price");
      get.setPort(8080);
      HealthCheck check = new HealthCheck();
      check.setHttpGet(get);
      spec.getStrategy().setHealthCheck(check);
    }
  }

  /**
   * Halted after the canary with CanaryFailed naming the pod and the check; reverted; the rest
   * untouched.
   */
  private void awaitCanaryFailed(String pod, String check) {
    awaitCondition("fix", "Degraded", "True", "CanaryFailed");
    HotPatch halted = get("fix");
    assertThat(halted.getStatus().getHaltedWave()).isZero();
    assertThat(halted.getStatus().getHaltReason()).isEqualTo("CanaryFailed");
    assertThat(condition("fix", "Degraded"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getMessage())
                    .contains("Pod " + pod + " failed in wave 0 (canary): " + check)
                    .contains("new sha256"));
    assertThat(podEntry("fix", pod))
        .hasValueSatisfying(
            p -> {
              assertThat(p.getState()).isEqualTo(ResultState.FAILED);
              assertThat(p.getMessage()).isEqualTo(check);
            });
    eventually().until(() -> sidecars.reverts(namespace, pod) == 1);
    assertThat(desired(pod).action()).isEqualTo(DesiredPatch.Action.REVERT);
    assertThat(sidecars.hotApplies(namespace, "checkout-2")).isZero();
    assertThat(sidecars.hotApplies(namespace, "checkout-3")).isZero();
    assertThat(podEntry("fix", "checkout-2")).isEmpty();
    eventually().atMost(Duration.ofSeconds(10)).until(() -> events("CanaryFailed").size() == 1);
    assertThat(events("CanaryFailed"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains(pod, check);
            });
  }
}
