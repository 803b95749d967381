package io.hotpatch.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchSpec;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.api.v1alpha1.RolloutMode;
import io.hotpatch.operator.api.v1alpha1.RolloutStrategy;
import io.hotpatch.operator.rollout.Problem;
import io.hotpatch.operator.rollout.RolloutOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Status aggregation: counts, conditions, reasons and transition times. */
class StatusAggregatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);
  private final StatusAggregator aggregator = new StatusAggregator(100);

  @Test
  void allPatchedIsReadyAndNotProgressing() {
    HotPatchStatus status =
        aggregator.aggregate(
            hotPatch(4, null),
            outcome(2, null, pod("a", ResultState.APPLIED), pod("b", ResultState.ALREADY_APPLIED)),
            T0);

    assertThat(status.getObservedGeneration()).isEqualTo(4);
    assertThat(status.getPatched()).isEqualTo("2/2");
    assertThat(status.getPatchedPods()).isEqualTo(2);
    assertThat(status.getFailedPods()).isZero();
    assertCondition(status, "Ready", "True", "AllPodsPatched");
    assertCondition(status, "Progressing", "False", "RolloutComplete");
    assertCondition(status, "Degraded", "False", "AsExpected");
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(4));
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenAConditionFlips() {
    HotPatchStatus first =
        aggregator.aggregate(
            hotPatch(1, null),
            outcome(2, progress(), pod("a", ResultState.APPLIED), pod("b", null)),
            T0);
    HotPatch again = hotPatch(1, first);

    HotPatchStatus same =
        aggregator.aggregate(
            again, outcome(2, progress(), pod("a", ResultState.APPLIED), pod("b", null)), T1);
    assertThat(condition(same, "Ready").getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(condition(same, "Progressing").getLastTransitionTime()).isEqualTo(T0.toString());

    HotPatchStatus flipped =
        aggregator.aggregate(
            hotPatch(2, same),
            outcome(2, null, pod("a", ResultState.APPLIED), pod("b", ResultState.APPLIED)),
            T1);
    assertThat(condition(flipped, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
    assertThat(condition(flipped, "Ready").getObservedGeneration()).isEqualTo(2);
    assertThat(condition(flipped, "Degraded").getLastTransitionTime())
        .as("stayed False")
        .isEqualTo(T0.toString());
  }

  @Test
  void aProblemIsDegradedWithItsReasonAndNotReady() {
    HotPatch hotPatch = hotPatch(1, null);
    RolloutOutcome stalled =
        RolloutOutcome.stalled(null, new Problem("BundleNotFound", "ConfigMap x is missing"));

    HotPatchStatus status = aggregator.aggregate(hotPatch, stalled, T0);

    assertCondition(status, "Degraded", "True", "BundleNotFound");
    assertCondition(status, "Ready", "False", "BundleNotFound");
    assertCondition(status, "Progressing", "False", "BundleNotFound");
    assertThat(condition(status, "Degraded").getMessage()).isEqualTo("ConfigMap x is missing");
  }

  @Test
  void aHaltedRolloutIsDegradedAndCountsItsFailures() {
    RolloutOutcome halted =
        new RolloutOutcome(
            "sha",
            List.of(
                pod("a", ResultState.APPLIED),
                pod("b", ResultState.FAILED),
                pod("c", ResultState.REVERTED)),
            4,
            2,
            "pod b failed",
            null,
            List.of(),
            null,
            null,
            List.of());

    HotPatchStatus status = aggregator.aggregate(hotPatch(1, null), halted, T0);

    assertCondition(status, "Degraded", "True", Reason.RolloutHalted.name());
    assertCondition(status, "Progressing", "False", Reason.RolloutHalted.name());
    assertCondition(status, "Ready", "False", Reason.RolloutHalted.name());
    assertThat(status.getFailedPods()).isEqualTo(1);
    assertThat(status.getPatched()).isEqualTo("1/4");
    assertThat(status.getHaltedWave()).isEqualTo(2);
  }

  @Test
  void notHotApplicableIsAFailureOnlyWhenNoRestartIsAllowed() {
    RolloutOutcome outcome = outcome(1, progress(), pod("a", ResultState.NOT_HOT_APPLICABLE));

    assertThat(aggregator.aggregate(hotPatch(1, null), outcome, T0).getFailedPods()).isZero();
    HotPatch hotOnly = hotPatch(1, null);
    hotOnly.getSpec().getStrategy().setMode(RolloutMode.HotOnly);
    assertThat(aggregator.aggregate(hotOnly, outcome, T0).getFailedPods()).isEqualTo(1);
  }

  @Test
  void noTargetsIsReady() {
    HotPatchStatus status = aggregator.aggregate(hotPatch(1, null), outcome(0, null), T0);

    assertCondition(status, "Ready", "True", "NoTargets");
    assertThat(status.getPatched()).isEqualTo("0/0");
  }

  @Test
  void tenThousandPodsListOnlyTheBoundFailuresFirstAndStayFarBelowTheObjectLimit()
      throws Exception {
    List<PodPatchStatus> pods = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      PodPatchStatus pod =
          pod(
              String.format("checkout-%05d", i),
              i % 2500 == 7 ? ResultState.FAILED : i % 10 == 0 ? null : ResultState.APPLIED);
      pod.setMessage(
          "a sidecar message of about the usual length, naming what happened in the pod");
      pod.setPatchedAt(T0.toString());
      pods.add(pod);
    }
    RolloutOutcome outcome =
        new RolloutOutcome(
            "sha", pods, 10_000, null, null, null, List.of(), progress(), null, List.of());

    HotPatchStatus status = aggregator.aggregate(hotPatch(1, null), outcome, T0);

    assertThat(status.getPatchedPods()).isEqualTo(8996);
    assertThat(status.getFailedPods()).isEqualTo(4);
    assertThat(status.getPatched()).isEqualTo("8996/10000");
    assertThat(status.getPods()).hasSize(100);
    assertThat(status.getPods()).filteredOn(p -> p.getState() == ResultState.FAILED).hasSize(4);
    assertThat(status.getPods())
        .filteredOn(p -> p.getState() == null)
        .as("then the pods still waiting")
        .hasSize(96);
    assertThat(status.getPodsOmitted()).isEqualTo(9900);
    assertThat(status.getPodStates())
        .startsWith("GET /q/hotpatch/pods/")
        .endsWith("/fix on the operator's" + " management port (8080)");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(status).length)
        .as("status bytes")
        .isLessThan(256 * 1024);
  }

  @Test
  void aSmallFleetListsEveryPodByName() {
    HotPatchStatus status =
        aggregator.aggregate(
            hotPatch(1, null),
            outcome(
                3,
                progress(),
                pod("c", null),
                pod("a", ResultState.FAILED),
                pod("b", ResultState.APPLIED)),
            T0);

    assertThat(status.getPods()).extracting(PodPatchStatus::getName).containsExactly("a", "b", "c");
    assertThat(status.getPodsOmitted()).isNull();
    assertThat(status.getPodStates()).isNull();
  }

  private static Problem progress() {
    return new Problem("WaveInProgress", "1/2 pods patched");
  }

  private static RolloutOutcome outcome(int targets, Problem progress, PodPatchStatus... pods) {
    return new RolloutOutcome(
        "sha", List.of(pods), targets, null, null, null, List.of(), progress, null, List.of());
  }

  private static PodPatchStatus pod(String name, ResultState state) {
    PodPatchStatus pod = new PodPatchStatus();
    pod.setName(name);
    pod.setUid("uid-" + name);
    pod.setWave(1);
    pod.setState(state);
    return pod;
  }

  private static HotPatch hotPatch(long generation, HotPatchStatus status) {
    HotPatch hotPatch = new HotPatch();
    hotPatch.getMetadata().setName("fix");
    hotPatch.getMetadata().setGeneration(generation);
    HotPatchSpec spec = new HotPatchSpec();
    spec.setStrategy(new RolloutStrategy());
    hotPatch.setSpec(spec);
    hotPatch.setStatus(status);
    return hotPatch;
  }

  private static Condition condition(HotPatchStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static void assertCondition(
      HotPatchStatus status, String type, String value, String reason) {
    Condition condition = condition(status, type);
    assertThat(condition.getStatus()).as(type).isEqualTo(value);
    assertThat(condition.getReason()).as(type + " reason").isEqualTo(reason);
  }
}
