package io.hotpatch.operator.rollout;

import io.hotpatch.operator.api.v1alpha1.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/** Decides which pods join the rollout next: canary first, soak, then maxParallel at a time. */
public final class WavePlanner {

  /**
   * A pod the rollout already reached.
   *
   * @param settled it reported the patch applied and is Ready
   * @param patchedAt when it reported the patch applied, null before
   */
  public record AdmittedPod(String name, int wave, boolean settled, Instant patchedAt) {}

  /** The planner's decision: admit pods into a wave, or wait (with a reason and maybe a time). */
  public record WavePlan(int wave, List<String> admit, String waitReason, Duration retryAfter) {
    static WavePlan admit(int wave, List<String> pods) {
      return new WavePlan(wave, List.copyOf(pods), null, null);
    }

    static WavePlan waitFor(int wave, String reason, Duration retryAfter) {
      return new WavePlan(wave, List.of(), reason, retryAfter);
    }

    public boolean admits() {
      return !admit.isEmpty();
    }
  }

  /** The plan's wait reason once every wave is done: internal, never written to status. */
  static final String COMPLETE = "Complete";

  private final int canaryPods;
  private final Duration soak;
  private final int maxParallel;

  public WavePlanner(int canaryPods, Duration soak, int maxParallel) {
    this.canaryPods = canaryPods;
    this.soak = soak;
    this.maxParallel = maxParallel;
  }

  /**
   * Plans the next step.
   *
   * @param candidates pods not yet reached that may be patched now, in rollout order
   * @param admitted pods already reached
   */
  public WavePlan plan(List<String> candidates, List<AdmittedPod> admitted, Instant now) {
    if (admitted.isEmpty()) {
      return canaryPods > 0
          ? WavePlan.admit(0, first(candidates, canaryPods))
          : WavePlan.admit(1, first(candidates, maxParallel));
    }
    int current = admitted.stream().mapToInt(AdmittedPod::wave).max().orElseThrow();
    List<AdmittedPod> wave = admitted.stream().filter(p -> p.wave() == current).toList();
    if (!wave.stream().allMatch(AdmittedPod::settled)) {
      return WavePlan.waitFor(current, Reason.WaveInProgress.name(), null);
    }
    if (current == 0 && !soak.isZero()) {
      Instant soakEnds =
          wave.stream()
              .map(AdmittedPod::patchedAt)
              .filter(Objects::nonNull)
              .max(Comparator.naturalOrder())
              .orElse(now)
              .plus(soak);
      if (now.isBefore(soakEnds)) {
        return WavePlan.waitFor(
            current, Reason.CanarySoaking.name(), Duration.between(now, soakEnds));
      }
    }
    if (candidates.isEmpty()) {
      return WavePlan.waitFor(current, COMPLETE, null);
    }
    return WavePlan.admit(current + 1, first(candidates, maxParallel));
  }

  /**
   * The wave whose pods are still watched for failures (it has not finished), or empty when every
   * wave has; asked once per reconcile, not per pod, since it looks at every admitted pod.
   */
  public OptionalInt watchedWave(List<AdmittedPod> admitted, Instant now) {
    WavePlan plan = plan(List.of(), admitted, now);
    return COMPLETE.equals(plan.waitReason()) ? OptionalInt.empty() : OptionalInt.of(plan.wave());
  }

  private static List<String> first(List<String> pods, int count) {
    return pods.subList(0, Math.min(count, pods.size()));
  }
}
