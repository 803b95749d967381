package io.hotpatch.operator.channel;

import io.hotpatch.core.channel.HealthProbe;
import java.util.Objects;

/**
 * What a sidecar must converge to for one patch.
 *
 * @param uid the HotPatch's metadata.uid, which the sidecar echoes in its outcome
 * @param bundle the verified bundle jar bytes (may be null for REVERT, which needs only the patch)
 * @param hotAllowed false when the patch may only be applied at JVM start (mode RestartOnly)
 * @param allowJdkClasses true when the HotPatch allows the bundle to patch JDK classes
 * @param healthCheck the check the sidecar runs while the pod's wave is watched, or null
 */
public record DesiredPatch(
    PatchKey key,
    String uid,
    String sha256,
    byte[] bundle,
    Action action,
    boolean hotAllowed,
    boolean allowJdkClasses,
    HealthProbe healthCheck) {

  public DesiredPatch {
    uid = uid == null ? "" : uid;
  }

  /** An order without a health check. */
  public DesiredPatch(
      PatchKey key,
      String uid,
      String sha256,
      byte[] bundle,
      Action action,
      boolean hotAllowed,
      boolean allowJdkClasses) {
    this(key, uid, sha256, bundle, action, hotAllowed, allowJdkClasses, null);
  }

  /** A patch of application classes only, as every REVERT and most APPLY orders are. */
  public DesiredPatch(
      PatchKey key, String uid, String sha256, byte[] bundle, Action action, boolean hotAllowed) {
    this(key, uid, sha256, bundle, action, hotAllowed, false);
  }

  /** Whether the JVM should run the patch or have it reverted. */
  public enum Action {
    APPLY,
    REVERT
  }

  /** Same patch, same action: publishing it again is a no-op. */
  public boolean sameAs(DesiredPatch other) {
    return other != null
        && key.equals(other.key)
        && uid.equals(other.uid)
        && sha256.equals(other.sha256)
        && action == other.action
        && hotAllowed == other.hotAllowed
        && allowJdkClasses == other.allowJdkClasses
        && Objects.equals(healthCheck, other.healthCheck);
  }
}
