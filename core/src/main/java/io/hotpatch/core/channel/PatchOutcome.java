package io.hotpatch.core.channel;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;

/**
 * The result of one patch order in one pod's JVM, under the HotPatch (name and uid) that ordered
 * it.
 */
public final class PatchOutcome extends HotPatchBundleRef {
  private ResultState state = ResultState.FAILED;
  private PatchMethod method;
  private String message = "";
  private HealthState health;
  private String healthMessage = "";

  public PatchOutcome() {}

  public PatchOutcome(
      String patch,
      String uid,
      String sha256,
      ResultState state,
      PatchMethod method,
      String message) {
    super(patch, uid, sha256);
    this.state = state;
    this.method = method;
    this.message = message;
  }

  public ResultState getState() {
    return state;
  }

  public void setState(ResultState state) {
    this.state = state;
  }

  /** How the patch reached the JVM; null when it did not. */
  public PatchMethod getMethod() {
    return method;
  }

  public void setMethod(PatchMethod method) {
    this.method = method;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  /** The sidecar's view of the app running the patch while it is watched; null when not watched. */
  public HealthState getHealth() {
    return health;
  }

  public void setHealth(HealthState health) {
    this.health = health;
  }

  /** What the last check saw, naming the check (the GET and its answer, the JVM, the patch). */
  public String getHealthMessage() {
    return healthMessage;
  }

  public void setHealthMessage(String healthMessage) {
    this.healthMessage = healthMessage;
  }
}
