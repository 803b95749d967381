package io.hotpatch.operator.rollout;

import io.hotpatch.operator.api.v1alpha1.Reason;

/**
 * What the restart fallback did for one pod's workload.
 *
 * @param workload "Kind/name" of the workload rolled, null when blocked before one was found
 * @param problem set when the fallback cannot proceed without the user
 */
public record FallbackResult(Outcome outcome, String workload, Problem problem) {

  /** Whether the workload was rolled now, had been rolled already, or cannot be rolled. */
  public enum Outcome {
    RESTARTED,
    ALREADY_REQUESTED,
    BLOCKED
  }

  static FallbackResult restarted(String workload) {
    return new FallbackResult(Outcome.RESTARTED, workload, null);
  }

  static FallbackResult alreadyRequested(String workload) {
    return new FallbackResult(Outcome.ALREADY_REQUESTED, workload, null);
  }

  static FallbackResult blocked(String workload, Reason reason, String message) {
    return new FallbackResult(Outcome.BLOCKED, workload, new Problem(reason, message));
  }
}
