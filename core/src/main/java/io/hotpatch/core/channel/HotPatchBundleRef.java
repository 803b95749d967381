package io.hotpatch.core.channel;

/**
 * Names one HotPatch's bundle as orders and outcomes carry it: the HotPatch ({@code namespace/name}
 * and uid) and the bundle's sha256.
 */
public abstract class HotPatchBundleRef {
  private String patch = "";
  private String uid = "";
  private String sha256 = "";

  protected HotPatchBundleRef() {}

  protected HotPatchBundleRef(String patch, String uid, String sha256) {
    this.patch = patch;
    this.uid = uid;
    this.sha256 = sha256;
  }

  /** The HotPatch as {@code namespace/name}. */
  public String getPatch() {
    return patch;
  }

  public void setPatch(String patch) {
    this.patch = patch;
  }

  /**
   * The HotPatch's metadata.uid: a HotPatch deleted and created again under its name is another one
   * (empty from sidecars older than the field).
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
}
