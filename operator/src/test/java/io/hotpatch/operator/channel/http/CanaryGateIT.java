package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.api.v1alpha1.HealthCheck;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HttpGetCheck;
import io.hotpatch.operator.channel.PatchKey;
import io.hotpatch.operator.channel.PodReport;
import io.hotpatch.operator.channel.http.PodProcesses.SimulatedPod;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The health gate with real processes: the real operator, real sidecar daemons and real sample JVMs
 * under load, each pod on its own loopback address with the same port. A bundle whose method throws
 * is caught on the canary by the declared check, reverted live there, and never reaches the other
 * pods; a fixed bundle then rolls out in the soak plus a bound.
 */
@OperatorOnMockApi
class CanaryGateIT extends ProcessPodsTestSupport {
  private static final String PRICE = SampleVersion.PRICE_PATH;
  private static final String V1 = SampleVersion.V1_BUGGY.expectedQuote();
  private static final String V2 = SampleVersion.V2_HOT_FIX.expectedQuote();
  private static final int SOAK_SECONDS = 4;

  /**
   * What the gate may add to the soak for a healthy bundle: two applies, their first checks, the
   * reports.
   */
  private static final Duration GATE_BOUND = Duration.ofSeconds(15);

  @Test
  void aThrowingBundleIsRevertedOnTheCanaryAndAFixedOneThenPassesTheGateInTime() throws Exception {
    int port = freePort();
    List<SimulatedPod> started = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String loopback = "127.0.0.9" + i;
      Pod pod = sidecarPod("checkout-" + i, APP, loopback);
      started.add(
          pods.start(
              pod,
              TokenReviews.podToken(pod),
              new PodProcesses.Options(JavaHomes.current(), loopback, port)));
    }
    slow().until(() -> broadcaster.waiting() >= 3);
    List<LoadGenerator> loads =
        started.stream().map(p -> LoadGenerator.start(p.jvm.uri(PRICE), 1)).toList();
    loads.forEach(load -> load.awaitRequests(20));
    SimulatedPod canary = started.get(0);
    PatchKey key = new PatchKey(namespace, "fix");

    String broken = bundleConfigMap("fix-bundle", PodProcesses.bundle(SampleVersion.V4_THROWS));
    long created = System.nanoTime();
    hotPatch(
        "fix",
        broken,
        spec -> {
          spec.getStrategy().setCanary(canaryOf(1, SOAK_SECONDS));
          spec.getStrategy().setMaxParallel(new IntOrString("100%"));
          HttpGetCheck get = new HttpGetCheck();
          get.setPath(PRICE);
          get.setPort(port);
          HealthCheck check = new HealthCheck();
          check.setHttpGet(get);
          check.setFailureThreshold(2);
          check.setPeriodSeconds(1);
          spec.getStrategy().setHealthCheck(check);
        });

    slow().until(() -> conditionIs("fix", "Degraded", "True", "CanaryFailed"));
    long halted = System.nanoTime();
    String check =
        "GET http://127.0.0.91:"
            + port
            + PRICE
            + " answered 500, expected 200 2 times in a row"
            + " (failureThreshold 2)";
    assertThat(condition("fix", "Degraded"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getMessage())
                    .startsWith("Pod checkout-1 failed in wave 0 (canary): " + check));
    eventually()
        .untilAsserted(
            () ->
                assertThat(events("CanaryFailed"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains(check)));
    slow()
        .until(
            () ->
                sidecars
                    .report(ref(canary.pod), key)
                    .map(PodReport::state)
                    .equals(Optional.of(ResultState.REVERTED)));
    long reverted = System.nanoTime();
    assertThat(canary.jvm.get(PRICE))
        .as("reverted live: the JVM runs its own code again")
        .isEqualTo(V1);
    loads.forEach(load -> load.awaitRequests(20));
    LoadStats canaryLoad = loads.get(0).stats();
    assertThat(canaryLoad.failed()).as("the broken bundle did run on the canary").isPositive();
    System.out.printf(
        "health gate: throwing bundle created -> CanaryFailed in %d ms, -> reverted in %d ms;"
            + " canary load: %s%n",
        Duration.ofNanos(halted - created).toMillis(),
        Duration.ofNanos(reverted - created).toMillis(),
        canaryLoad);
    assertThat(loads.get(0).statsBetween(reverted, System.nanoTime()).failed())
        .as("healthy again")
        .isZero();
    for (SimulatedPod other : started.subList(1, 3)) {
      assertThat(sidecars.report(ref(other.pod), key))
          .as(other.pod.getMetadata().getName() + " never patched")
          .isEmpty();
      assertThat(podEntry("fix", other.pod.getMetadata().getName())).isEmpty();
      assertThat(other.jvm.get(PRICE)).isEqualTo(V1);
    }
    assertThat(loads.subList(1, 3)).allSatisfy(load -> assertThat(load.stats().failed()).isZero());

    // A fixed bundle (a new sha256) starts a fresh rollout; the gate costs little beyond the soak.
    HotPatch hotPatch = get("fix");
    hotPatch.getSpec().getBundle().getConfigMapRef().setName("fix-bundle-2");
    String fixed = bundleConfigMap("fix-bundle-2", PodProcesses.bundle(SampleVersion.V2_HOT_FIX));
    hotPatch.getSpec().getBundle().setSha256(fixed);
    long start = System.nanoTime();
    client.resource(hotPatch).update();

    slow().until(() -> conditionIs("fix", "Ready", "True", "AllPodsPatched"));
    Duration rollout = Duration.ofNanos(System.nanoTime() - start);
    List<LoadStats> stats =
        loads.stream().map(load -> load.statsBetween(reverted, System.nanoTime())).toList();
    loads.forEach(LoadGenerator::stop);
    assertThat(started).allSatisfy(p -> assertThat(p.jvm.get(PRICE)).isEqualTo(V2));
    assertThat(stats).allSatisfy(s -> assertThat(s.failed()).as(s.firstFailure()).isZero());
    assertThat(rollout).isLessThan(Duration.ofSeconds(SOAK_SECONDS).plus(GATE_BOUND));
    assertThat(get("fix").getStatus().getHaltedWave()).isNull();
    System.out.printf(
        "health gate: fixed bundle created -> Ready in %d ms (soak %d s); load since the revert: %s%n",
        rollout.toMillis(), SOAK_SECONDS, stats);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
