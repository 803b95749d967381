package io.hotpatch.core.channel;

import java.util.ArrayList;
import java.util.List;

/**
 * What the operator wants one pod's JVM to run: the channel's answer to a sidecar's long poll.
 * {@code revision} changes whenever the set changes, so the sidecar can wait for the next one.
 */
public final class DesiredState {
  private String revision = "";
  private List<PatchOrder> patches = new ArrayList<PatchOrder>();

  public DesiredState() {}

  public DesiredState(String revision, List<PatchOrder> patches) {
    this.revision = revision;
    this.patches = new ArrayList<PatchOrder>(patches);
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  /** Patches in the order they must be applied (stacking order). */
  public List<PatchOrder> getPatches() {
    return patches;
  }

  public void setPatches(List<PatchOrder> patches) {
    this.patches = patches;
  }
}
