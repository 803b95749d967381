package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** How the patch reaches the pods: hot or by restart, how many at once, canary first. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStrategy {
  public static final String DEFAULT_MAX_PARALLEL = "25%";

  @JsonPropertyDescription(
      "Auto (default): patch live JVMs, and roll the owning workload when a change cannot be"
          + " applied live. HotOnly: never restart anything. RestartOnly: always roll the owning"
          + " workload; new pods get the patch at JVM start.")
  private RolloutMode mode;

  @ValidationRule(
      value = "type(self) == int ? self >= 1 : self.matches('^([1-9][0-9]?|100)%$')",
      message = "maxParallel must be a pod count of at least 1 or a percentage from 1% to 100%")
  @JsonPropertyDescription(
      "Pods patched at once after the canary: a count (2) or a percentage of the target pods"
          + " (25%, rounded down, at least 1). Default: 25%.")
  private IntOrString maxParallel;

  @JsonPropertyDescription(
      "Pods patched first, and how long they must stay healthy before the rest follow.")
  private CanaryStrategy canary;

  @JsonPropertyDescription(
      "Optional check of the app that gates every wave: each patched pod's sidecar runs it while the wave"
          + " is watched (until the next wave starts, the canary's soak included), besides the pod's Ready"
          + " condition, its container restarts and the sidecar's view of the JVM (alive, patch active). A"
          + " wave moves on only once its pods pass; a failure halts the rollout, reverts the wave live and"
          + " sets Degraded with reason CanaryFailed.")
  private HealthCheck healthCheck;

  public RolloutMode getMode() {
    return mode;
  }

  public void setMode(RolloutMode mode) {
    this.mode = mode;
  }

  public IntOrString getMaxParallel() {
    return maxParallel;
  }

  public void setMaxParallel(IntOrString maxParallel) {
    this.maxParallel = maxParallel;
  }

  public CanaryStrategy getCanary() {
    return canary;
  }

  public void setCanary(CanaryStrategy canary) {
    this.canary = canary;
  }

  public HealthCheck getHealthCheck() {
    return healthCheck;
  }

  public void setHealthCheck(HealthCheck healthCheck) {
    this.healthCheck = healthCheck;
  }
}
