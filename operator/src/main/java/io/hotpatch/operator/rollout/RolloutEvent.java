package io.hotpatch.operator.rollout;

import io.hotpatch.operator.api.v1alpha1.Reason;

/** A Kubernetes Event the rollout wants recorded on its HotPatch. */
public record RolloutEvent(boolean warning, String reason, String message) {
  public static RolloutEvent normal(Reason reason, String message) {
    return new RolloutEvent(false, reason.name(), message);
  }

  public static RolloutEvent warning(Reason reason, String message) {
    return new RolloutEvent(true, reason.name(), message);
  }

  /** A warning whose reason is already text: a condition's, repeated as an Event. */
  public static RolloutEvent warning(String reason, String message) {
    return new RolloutEvent(true, reason, message);
  }
}
