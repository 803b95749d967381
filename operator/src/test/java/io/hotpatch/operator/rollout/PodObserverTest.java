package io.hotpatch.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.HealthState;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.RolloutMode;
import io.hotpatch.operator.channel.PodReport;
import io.hotpatch.operator.channel.TargetPod;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Per-pod observation: reports, stale reports of a restarted JVM, and failures while a wave is
 * open.
 */
class PodObserverTest {
  private static final String SHA = "a".repeat(64);
  private static final Instant STARTED = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant NOW = STARTED.plusSeconds(600);

  @Test
  void aReportIsRecordedWithItsMethodAndPatchTime() {
    PodPatchStatus entry = entry(null);

    Problem failure =
        PodObserver.observe(
            entry,
            target(true, 0, STARTED),
            applied(STARTED.plusSeconds(5)),
            SHA,
            true,
            RolloutMode.Auto,
            NOW);

    assertThat(failure).isNull();
    assertThat(entry.getState()).isEqualTo(ResultState.APPLIED);
    assertThat(entry.getMethod()).isEqualTo("Hot");
    assertThat(entry.getPatchedAt()).isEqualTo(NOW.toString());
  }

  @Test
  void aReportAboutAnotherBundleIsIgnored() {
    PodPatchStatus entry = entry(null);
    var other =
        Optional.of(
            new PodReport("b".repeat(64), ResultState.APPLIED, PatchMethod.HOT, "ok", STARTED));

    PodObserver.observe(entry, target(true, 0, STARTED), other, SHA, true, RolloutMode.Auto, NOW);

    assertThat(entry.getState()).isNull();
  }

  @Test
  void aRestartedContainerWaitsForTheNewJvmsReport() {
    PodPatchStatus entry = entry(ResultState.APPLIED);
    Instant restarted = NOW.minusSeconds(10);

    Problem failure =
        PodObserver.observe(
            entry, target(true, 1, restarted), applied(STARTED), SHA, false, RolloutMode.Auto, NOW);

    assertThat(failure).isNull();
    assertThat(entry.getState()).as("the report is about the JVM before the restart").isNull();
    assertThat(entry.getMessage()).contains("waiting for the sidecar");
    assertThat(entry.getRestartCount()).isEqualTo(1);

    PodObserver.observe(
        entry,
        target(true, 1, restarted),
        applied(restarted.plusSeconds(1)),
        SHA,
        false,
        RolloutMode.Auto,
        NOW);
    assertThat(entry.getState()).isEqualTo(ResultState.APPLIED);
  }

  @Test
  void theJvmOfTheCurrentContainerMaySeemToStartBeforeTheRecordedContainerStart() {
    PodPatchStatus entry = entry(null);
    // podman recorded StartedAt 0.2 s after the fork of the JVM's process (runc create, then
    // start); the JVM's own
    // start time is read with a boot time in whole seconds.
    Instant recorded = STARTED.plusMillis(200);

    PodObserver.observe(
        entry,
        target(true, 0, recorded),
        applied(STARTED.minusMillis(800)),
        SHA,
        true,
        RolloutMode.Auto,
        NOW);

    assertThat(entry.getState()).isEqualTo(ResultState.APPLIED);
  }

  @Test
  void aRestartOrNotReadyWhileTheWaveIsOpenIsAFailure() {
    PodPatchStatus restarted = entry(ResultState.APPLIED);
    assertThat(
            PodObserver.observe(
                restarted,
                target(true, 1, NOW),
                Optional.empty(),
                SHA,
                true,
                RolloutMode.Auto,
                NOW))
        .isEqualTo(
            new Problem("CanaryFailed", "container restarted while wave 1 was being patched"));
    assertThat(restarted.getState()).isEqualTo(ResultState.FAILED);

    PodPatchStatus notReady = entry(ResultState.APPLIED);
    assertThat(
            PodObserver.observe(
                notReady,
                target(false, 0, STARTED),
                Optional.empty(),
                SHA,
                true,
                RolloutMode.Auto,
                NOW))
        .extracting(Problem::reason, Problem::message)
        .containsExactly(
            "CanaryFailed", "pod turned NotReady after the patch was applied in wave 1");
  }

  @Test
  void healthSaysNothingAboutAPatchThatCannotHaveReachedTheJvm() {
    PodPatchStatus refused = entry(ResultState.NOT_HOT_APPLICABLE);
    assertThat(
            PodObserver.observe(
                refused, target(false, 1, NOW), Optional.empty(), SHA, true, RolloutMode.Auto, NOW))
        .isNull();

    PodPatchStatus waitingForRoll = entry(null);
    assertThat(
            PodObserver.observe(
                waitingForRoll,
                target(false, 1, NOW),
                Optional.empty(),
                SHA,
                true,
                RolloutMode.RestartOnly,
                NOW))
        .isNull();

    PodPatchStatus finishedWave = entry(ResultState.APPLIED);
    assertThat(
            PodObserver.observe(
                finishedWave,
                target(false, 0, STARTED),
                Optional.empty(),
                SHA,
                false,
                RolloutMode.Auto,
                NOW))
        .isNull();
  }

  @Test
  void failuresStayUntilTheBundleChanges() {
    PodPatchStatus entry = entry(ResultState.FAILED);

    PodObserver.observe(
        entry, target(true, 0, STARTED), applied(STARTED), SHA, true, RolloutMode.Auto, NOW);

    assertThat(entry.getState()).isEqualTo(ResultState.FAILED);
  }

  @Test
  void notHotApplicableHaltsOnlyWhenNoRestartIsAllowedAndSaysWhatToDo() {
    var refused =
        Optional.of(
            new PodReport(SHA, ResultState.NOT_HOT_APPLICABLE, null, "adds a field", STARTED));

    PodPatchStatus auto = entry(null);
    assertThat(
            PodObserver.observe(
                auto, target(true, 0, STARTED), refused, SHA, true, RolloutMode.Auto, NOW))
        .isNull();

    PodPatchStatus hotOnly = entry(null);
    Problem halt =
        PodObserver.observe(
            hotOnly, target(true, 0, STARTED), refused, SHA, true, RolloutMode.HotOnly, NOW);
    assertThat(halt.reason()).isEqualTo("RolloutHalted");
    assertThat(halt.message()).contains("adds a field").contains("set strategy.mode to Auto");
  }

  @Test
  void aFailedHealthVerdictWhileTheWaveIsOpenFailsTheGateAndIsShownOnlyWhileWatched() {
    var verdict =
        Optional.of(
            new PodReport(
                SHA,
                ResultState.APPLIED,
                PatchMethod.HOT,
                "redefined",
                STARTED,
                HealthState.FAILED,
                "GET http://127.0.0.1:8080/price answered 500, expected 200 3 times in a row"));

    PodPatchStatus watched = entry(null);
    assertThat(
            PodObserver.observe(
                watched, target(true, 0, STARTED), verdict, SHA, true, RolloutMode.Auto, NOW))
        .isEqualTo(
            new Problem(
                "CanaryFailed",
                "GET http://127.0.0.1:8080/price answered 500, expected 200 3 times"
                    + " in a row"));
    assertThat(watched.getState()).isEqualTo(ResultState.FAILED);

    PodPatchStatus done = entry(ResultState.APPLIED);
    assertThat(
            PodObserver.observe(
                done, target(true, 0, STARTED), verdict, SHA, false, RolloutMode.Auto, NOW))
        .isNull();
    assertThat(done.getHealth()).isNull();

    var passing =
        Optional.of(
            new PodReport(
                SHA,
                ResultState.APPLIED,
                PatchMethod.HOT,
                "redefined",
                STARTED,
                HealthState.PASSING,
                "x".repeat(1000)));
    PodPatchStatus open = entry(null);
    assertThat(
            PodObserver.observe(
                open, target(true, 0, STARTED), passing, SHA, true, RolloutMode.Auto, NOW))
        .isNull();
    assertThat(open.getHealth()).startsWith("PASSING: xxx").hasSize("PASSING: ".length() + 303);
  }

  private static Optional<PodReport> applied(Instant jvmStartedAt) {
    return Optional.of(
        new PodReport(SHA, ResultState.APPLIED, PatchMethod.HOT, "redefined", jvmStartedAt));
  }

  private static PodPatchStatus entry(ResultState state) {
    PodPatchStatus entry = new PodPatchStatus();
    entry.setName("checkout-a");
    entry.setUid("uid-a");
    entry.setWave(1);
    entry.setRestartCount(0);
    entry.setState(state);
    return entry;
  }

  private static Target target(boolean ready, int restarts, Instant containerStartedAt) {
    return new Target(
        null,
        new TargetPod("shop", "checkout-a", "uid-a", null),
        true,
        ready,
        restarts,
        containerStartedAt,
        false);
  }
}
