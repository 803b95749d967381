package io.hotpatch.core.channel;

/**
 * One patch a pod must run (APPLY) or no longer run (REVERT), identified by its HotPatch: its
 * {@code namespace/name} and uid, which the sidecar's outcome echoes, so that a result is never
 * credited to another HotPatch that orders the same bundle.
 */
public final class PatchOrder {
  /** What the sidecar must do with the patch. */
  public enum Action {
    APPLY,
    REVERT
  }

  private String patch = "";
  private String uid = "";
  private String sha256 = "";
  private Action action = Action.APPLY;
  private boolean hotAllowed = true;
  private boolean allowJdkClasses;
  private HealthProbe healthCheck;

  public PatchOrder() {}

  public PatchOrder(String patch, String uid, String sha256, Action action, boolean hotAllowed) {
    this.patch = patch;
    this.uid = uid;
    this.sha256 = sha256;
    this.action = action;
    this.hotAllowed = hotAllowed;
  }

  /** The HotPatch as {@code namespace/name}. */
  public String getPatch() {
    return patch;
  }

  public void setPatch(String patch) {
    this.patch = patch;
  }

  /**
   * The HotPatch's metadata.uid: a HotPatch deleted and created again under its name is another
   * one.
   */
  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  /**
   * The bundle's sha256, which the sidecar and the agent re-verify before anything is redefined.
   */
  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
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
