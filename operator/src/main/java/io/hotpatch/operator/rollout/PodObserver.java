package io.hotpatch.operator.rollout;

import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.HealthState;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.api.v1alpha1.RolloutMode;
import io.hotpatch.operator.channel.PodReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Folds what one pod shows (report, readiness, container restarts, the sidecar's health verdict)
 * into its status entry, and judges the health gate while the pod's wave is watched.
 */
final class PodObserver {
  /**
   * How much earlier than its container's recorded start a JVM of that container may seem to have
   * started.
   */
  static final Duration START_SLACK = Duration.ofSeconds(2);

  private static final int MAX_HEALTH_MESSAGE = 300;

  private PodObserver() {}

  /**
   * Updates the entry in place.
   *
   * @param watched the pod's wave has not finished, so NotReady, a restart or a failed health
   *     verdict counts as a failure
   * @return the failure (reason {@link Reason#CanaryFailed} or {@link Reason#RolloutHalted}) when
   *     this observation turned the pod into one, else null
   */
  static Problem observe(
      PodPatchStatus entry,
      Target target,
      Optional<PodReport> report,
      String sha256,
      boolean watched,
      RolloutMode mode,
      Instant now) {
    if (PodStates.halting(entry, mode)) {
      return null; // failures stay recorded until the bundle changes
    }
    boolean checkHealth = watched && mayHaveTouchedJvm(entry, target, mode);
    if (target.restartCount() > entry.getRestartCount()) {
      entry.setRestartCount(target.restartCount());
      if (checkHealth) {
        return gateFailure(
            entry, "container restarted while wave " + entry.getWave() + " was being patched");
      }
    }
    Optional<PodReport> current = report.filter(r -> sha256.equals(r.sha256()));
    Optional<PodReport> live = current.filter(r -> !fromEarlierJvm(r, target));
    entry.setHealth(
        watched
            ? live.filter(r -> r.health() != null).map(PodObserver::health).orElse(null)
            : null);
    if (live.isPresent()) {
      record(entry, live.get(), mode, now);
    } else if (current.isPresent()
        && entry.getState() != null
        && entry.getState() != ResultState.REVERTED) {
      entry.setState(null);
      entry.setMethod(null);
      entry.setMessage("container restarted: waiting for the sidecar to patch the new JVM");
    }
    if (PodStates.halting(entry, mode)) {
      return new Problem(Reason.RolloutHalted, entry.getMessage());
    }
    if (checkHealth && PodStates.patched(entry) && !target.ready()) {
      return gateFailure(
          entry, "pod turned NotReady after the patch was applied in wave " + entry.getWave());
    }
    if (checkHealth
        && PodStates.patched(entry)
        && live.map(PodReport::health).orElse(null) == HealthState.FAILED) {
      return gateFailure(entry, bounded(live.get().healthMessage()));
    }
    return null;
  }

  private static String health(PodReport report) {
    return report.health()
        + (report.healthMessage() == null || report.healthMessage().isEmpty()
            ? ""
            : ": " + bounded(report.healthMessage()));
  }

  /** A sidecar's text lands in status: keep it to one short line. */
  private static String bounded(String message) {
    String line = message == null ? "" : message.replaceAll("\\s+", " ");
    return line.length() <= MAX_HEALTH_MESSAGE
        ? line
        : line.substring(0, MAX_HEALTH_MESSAGE) + "...";
  }

  /**
   * Whether a live patch may have reached this JVM, so that its health says something about the
   * patch: not when the JVM started with it, refused it, or may only get it by a restart.
   */
  private static boolean mayHaveTouchedJvm(PodPatchStatus entry, Target target, RolloutMode mode) {
    return !target.startedForPatch()
        && mode != RolloutMode.RestartOnly
        && entry.getState() != ResultState.NOT_HOT_APPLICABLE;
  }

  /**
   * A report from a JVM that started before the container's current start is about a JVM now gone.
   * The container runtime forks the container's process before it records the start (runc create,
   * then start: 0.2 s apart in podman here), and a JVM reads its start time from /proc with a boot
   * time in whole seconds: so only a JVM that started well before the container counts as an
   * earlier one.
   */
  private static boolean fromEarlierJvm(PodReport report, Target target) {
    return report.jvmStartedAt() != null
        && target.containerStartedAt() != null
        && report.jvmStartedAt().isBefore(target.containerStartedAt().minus(START_SLACK));
  }

  private static void record(
      PodPatchStatus entry, PodReport report, RolloutMode mode, Instant now) {
    boolean newlyPatched = !PodStates.patched(entry);
    entry.setState(report.state());
    entry.setMethod(report.method() == null ? null : report.method().displayName());
    entry.setMessage(
        report.state() == ResultState.NOT_HOT_APPLICABLE && mode == RolloutMode.HotOnly
            ? report.message()
                + "; mode HotOnly forbids the restart this patch needs: set strategy.mode to Auto"
                + " to roll the workload, or restart the pods yourself"
            : report.message());
    if (PodStates.patched(entry) && newlyPatched) {
      entry.setPatchedAt(now.toString());
    }
  }

  private static Problem gateFailure(PodPatchStatus entry, String message) {
    entry.setState(ResultState.FAILED);
    entry.setMessage(message);
    return new Problem(Reason.CanaryFailed, message);
  }
}
