package io.hotpatch.operator.rollout;

/** A Kubernetes Event the rollout wants recorded on its HotPatch. */
public record RolloutEvent(boolean warning, String reason, String message) {
  public static RolloutEvent normal(String reason, String message) {
    return new RolloutEvent(false, reason, message);
  }

  public static RolloutEvent warning(String reason, String message) {
    return new RolloutEvent(true, reason, message);
  }
}
