package io.hotpatch.operator.rollout;

import io.hotpatch.core.ResultState;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.RolloutMode;

/** How the rollout reads a per-pod state: patched, or a failure that halts the rollout. */
public final class PodStates {
  private PodStates() {}

  public static boolean patched(PodPatchStatus pod) {
    return pod.getState() == ResultState.APPLIED || pod.getState() == ResultState.ALREADY_APPLIED;
  }

  /** Failures halt the rollout; NOT_HOT_APPLICABLE is one only when no restart is allowed. */
  public static boolean halting(PodPatchStatus pod, RolloutMode mode) {
    ResultState state = pod.getState();
    return state == ResultState.FAILED
        || state == ResultState.PRECONDITION_FAILED
        || (state == ResultState.NOT_HOT_APPLICABLE && mode == RolloutMode.HotOnly);
  }
}
