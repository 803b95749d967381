package io.hotpatch.operator.rollout;

import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import java.time.Duration;
import java.util.List;

/**
 * Where one reconcile left the rollout: the per-pod entries to persist, problems for the user, what
 * is still in progress, and the events to record.
 *
 * @param progress why the rollout is not finished (WaveInProgress, CanarySoaking, ...), null when
 *     it is
 * @param events Normal events of this step; problems become Warning events where status records
 *     them
 * @param retryAfter when to look again at the latest (a soak ending), null for the default
 * @param haltReason CanaryFailed or RolloutHalted while halted (null from a status written before
 *     it)
 */
public record RolloutOutcome(
    String bundleSha256,
    List<PodPatchStatus> pods,
    int targetPods,
    Integer haltedWave,
    String haltMessage,
    String haltReason,
    List<Problem> problems,
    Problem progress,
    Duration retryAfter,
    List<RolloutEvent> events) {

  /** Nothing moves: the previous entries stand, and the problem says why. */
  public static RolloutOutcome stalled(HotPatchStatus previous, Problem problem) {
    return stalled(previous, previous == null ? List.of() : previous.getPods(), problem);
  }

  /** The same, with every entry of the last step (status lists only a bounded few). */
  public static RolloutOutcome stalled(
      HotPatchStatus previous, List<PodPatchStatus> pods, Problem problem) {
    HotPatchStatus status = previous != null ? previous : new HotPatchStatus();
    return new RolloutOutcome(
        status.getBundleSha256(),
        pods,
        status.getTargetPods() == null ? 0 : status.getTargetPods(),
        status.getHaltedWave(),
        status.getHaltMessage(),
        status.getHaltReason(),
        List.of(problem),
        null,
        null,
        List.of());
  }
}
