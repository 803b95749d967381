package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.LogLines;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.channel.TestingSidecarGateway.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Waves: canary first, its soak, then at most maxParallel pods at a time. */
@OperatorOnMockApi
class RolloutWavesIT extends OperatorTestSupport {

  @Test
  void canaryFirstThenSoakThenMaxParallelPodsPerWave() {
    try (LogLines log = LogLines.capture("io.hotpatch.operator.reconciler")) {
      canaryFirstThenSoakThenMaxParallelPodsPerWave(log);
    }
  }

  private void canaryFirstThenSoakThenMaxParallelPodsPerWave(LogLines log) {
    for (int i = 1; i <= 5; i++) {
      pod("checkout-" + i);
      sidecars.behave(namespace, "checkout-" + i).delay(Duration.ofMillis(200));
    }
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    hotPatch(
        "fix",
        sha,
        spec -> {
          spec.getStrategy().setCanary(canaryOf(1, 2));
          spec.getStrategy().setMaxParallel(new IntOrString("50%"));
        });

    awaitCondition("fix", "Progressing", "True", "CanarySoaking");
    assertThat(sidecars.operations(namespace))
        .extracting(Operation::pod)
        .containsExactly(namespace + "/checkout-1");
    awaitCondition("fix", "Ready", "True", "AllPodsPatched");

    Map<String, Integer> waves =
        get("fix").getStatus().getPods().stream()
            .collect(Collectors.toMap(PodPatchStatus::getName, PodPatchStatus::getWave));
    assertThat(waves)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "checkout-1",
                0,
                "checkout-2",
                1,
                "checkout-3",
                1,
                "checkout-4",
                2,
                "checkout-5",
                2));
    assertThat(get("fix").getStatus().getPods())
        .extracting(PodPatchStatus::getState)
        .containsOnly(ResultState.APPLIED);

    List<Operation> applies = sidecars.operations(namespace);
    assertThat(applies).hasSize(5);
    assertThat(applies.get(0).pod()).endsWith("/checkout-1");
    assertThat(applies.get(1).at())
        .as("wave 1 waits for the canary's soak")
        .isAfterOrEqualTo(applies.get(0).at().plusSeconds(2));
    assertThat(applies.subList(1, 3))
        .extracting(Operation::pod)
        .containsExactlyInAnyOrder(namespace + "/checkout-2", namespace + "/checkout-3");
    assertThat(applies.subList(3, 5))
        .extracting(Operation::pod)
        .containsExactlyInAnyOrder(namespace + "/checkout-4", namespace + "/checkout-5");
    eventually()
        .untilAsserted(
            () ->
                assertThat(events("WaveStarted"))
                    .extracting(e -> e.getMessage())
                    .containsExactlyInAnyOrder(
                        "Canary wave started: checkout-1",
                        "Wave 1 started: checkout-2, checkout-3",
                        "Wave 2 started: checkout-4, checkout-5"));
    String fix = "HotPatch " + namespace + "/fix";
    assertThat(log.lines())
        .as("a log line per wave and per change of outcome")
        .contains(
            "INFO " + fix + ": WaveStarted: Canary wave started: checkout-1",
            "INFO " + fix + ": WaveStarted: Wave 2 started: checkout-4, checkout-5");
    assertThat(log.lines())
        .filteredOn(line -> line.startsWith("INFO " + fix + " reconciled: Ready=True"))
        .singleElement()
        .asString()
        .contains("Progressing=False (RolloutComplete)", "Degraded=False (AsExpected)");
  }
}
