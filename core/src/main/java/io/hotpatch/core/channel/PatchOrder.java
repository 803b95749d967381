package io.hotpatch.core.channel;

/**
 * One patch a pod must run (APPLY) or no longer run (REVERT), identified by its HotPatch: its
 * {@code namespace/name} and uid, which the sidecar's outcome echoes, so that a result is never
 * credited to another HotPatch that orders the same bundle.
 */
public final class PatchOrder extends HotPatchBundleRef {
  /** What the sidecar must do with the patch. */
  public enum Action {
    APPLY,
    REVERT
  }

  private Action action = Action.APPLY;
  private boolean hotAllowed = true;
  private boolean allowJdkClasses;
  private HealthProbe healthCheck;

  public PatchOrder() {}

  public PatchOrder(String patch, String uid, String sha256, Action action, boolean hotAllowed) {
    super(patch, uid, sha256);
    this.action = action;
    this.hotAllowed = hotAllowed;
  }

  public Action getAction() {
    return action;
  }

  public void setAction(Action action) {
    this.action = action;
  }

  /** False when the patch may only be applied at JVM start (mode RestartOnly). */
  public boolean isHotAllowed() {
    return hotAllowed;
  }

  public void setHotAllowed(boolean hotAllowed) {
    this.hotAllowed = hotAllowed;
  }

  /** True when the HotPatch allows the bundle to patch JDK classes (spec.allowJdkClasses). */
  public boolean isAllowJdkClasses() {
    return allowJdkClasses;
  }

  public void setAllowJdkClasses(boolean allowJdkClasses) {
    this.allowJdkClasses = allowJdkClasses;
  }

  /** The check the sidecar runs while the operator watches this patch in its pod, or null: none. */
  public HealthProbe getHealthCheck() {
    return healthCheck;
  }

  public void setHealthCheck(HealthProbe healthCheck) {
    this.healthCheck = healthCheck;
  }
}
