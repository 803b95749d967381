package io.hotpatch.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.rollout.WavePlanner.AdmittedPod;
import io.hotpatch.operator.rollout.WavePlanner.WavePlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wave planning: counts and percentages, canary and soak, waves in order, late pods. */
class WavePlannerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final List<String> PODS =
      List.of("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10");

  @Test
  void countsAndPercentagesResolveToPodsPerWave() {
    assertThat(MaxParallel.resolve(new IntOrString(3), 10)).isEqualTo(3);
    assertThat(MaxParallel.resolve(new IntOrString("25%"), 10)).isEqualTo(2);
    assertThat(MaxParallel.resolve(new IntOrString("50%"), 5)).isEqualTo(2);
    assertThat(MaxParallel.resolve(new IntOrString("100%"), 7)).isEqualTo(7);
    assertThat(MaxParallel.resolve(new IntOrString("10%"), 3))
        .as("rounds down but never below one")
        .isEqualTo(1);
    assertThat(MaxParallel.resolve(null, 8)).as("default 25%").isEqualTo(2);
    assertThatThrownBy(() -> MaxParallel.resolve(new IntOrString("lots"), 3))
        .hasMessageContaining("write e.g. 2 or 25%");
    assertThatThrownBy(() -> MaxParallel.resolve(new IntOrString("4"), 10))
        .as("a count written as a string, refused as SpecValidator refuses it")
        .hasMessageContaining("write e.g. 2 or 25%");
  }

  @Test
  void withoutCanaryTheFirstWaveTakesMaxParallelPods() {
    WavePlan plan = new WavePlanner(0, Duration.ZERO, 3).plan(PODS, List.of(), T0);

    assertThat(plan.wave()).isEqualTo(1);
    assertThat(plan.admit()).containsExactly("p1", "p2", "p3");
  }

  @Test
  void canaryComesFirstThenWaitsForItsSoak() {
    WavePlanner planner = new WavePlanner(1, Duration.ofSeconds(30), 4);

    WavePlan canary = planner.plan(PODS, List.of(), T0);
    assertThat(canary.wave()).isZero();
    assertThat(canary.admit()).containsExactly("p1");

    List<AdmittedPod> patched = List.of(new AdmittedPod("p1", 0, true, T0));
    WavePlan soaking = planner.plan(PODS.subList(1, 10), patched, T0.plusSeconds(10));
    assertThat(soaking.admits()).isFalse();
    assertThat(soaking.waitReason()).isEqualTo(Reason.CanarySoaking.name());
    assertThat(soaking.retryAfter()).isEqualTo(Duration.ofSeconds(20));

    WavePlan next = planner.plan(PODS.subList(1, 10), patched, T0.plusSeconds(30));
    assertThat(next.wave()).isEqualTo(1);
    assertThat(next.admit()).containsExactly("p2", "p3", "p4", "p5");
  }

  @Test
  void aWaveWaitsUntilEveryPodOfThePreviousWaveSettled() {
    WavePlanner planner = new WavePlanner(0, Duration.ZERO, 2);
    List<AdmittedPod> halfDone =
        List.of(new AdmittedPod("p1", 1, true, T0), new AdmittedPod("p2", 1, false, null));

    WavePlan plan = planner.plan(PODS.subList(2, 10), halfDone, T0);

    assertThat(plan.admits()).isFalse();
    assertThat(plan.waitReason()).isEqualTo(Reason.WaveInProgress.name());
    assertThat(planner.watchedWave(halfDone, T0)).hasValue(1);
  }

  @Test
  void wavesFollowEachOtherUntilNoCandidateIsLeft() {
    WavePlanner planner = new WavePlanner(0, Duration.ZERO, 2);
    List<AdmittedPod> wave1 =
        List.of(new AdmittedPod("p1", 1, true, T0), new AdmittedPod("p2", 1, true, T0));

    WavePlan plan = planner.plan(List.of("p3"), wave1, T0);
    assertThat(plan.wave()).isEqualTo(2);
    assertThat(plan.admit()).containsExactly("p3");

    WavePlan done = planner.plan(List.of(), wave1, T0);
    assertThat(done.waitReason()).isEqualTo(WavePlanner.COMPLETE);
    assertThat(planner.watchedWave(wave1, T0)).as("a finished wave is no longer watched").isEmpty();
  }

  @Test
  void aLatePodJoinsTheWaveAfterTheLastOne() {
    WavePlanner planner = new WavePlanner(1, Duration.ofSeconds(5), 3);
    List<AdmittedPod> finished =
        List.of(
            new AdmittedPod("p1", 0, true, T0),
            new AdmittedPod("p2", 1, true, T0),
            new AdmittedPod("p3", 2, true, T0));

    WavePlan plan = planner.plan(List.of("late"), finished, T0.plusSeconds(60));

    assertThat(plan.wave()).isEqualTo(3);
    assertThat(plan.admit()).containsExactly("late");
  }

  @Test
  void canaryLargerThanTheTargetsTakesThemAll() {
    WavePlan plan =
        new WavePlanner(5, Duration.ofSeconds(5), 1).plan(List.of("p1", "p2"), List.of(), T0);

    assertThat(plan.wave()).isZero();
    assertThat(plan.admit()).containsExactly("p1", "p2");
  }
}
