package io.hotpatch.operator.rollout;

import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.channel.PatchKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every reached pod's entry of each HotPatch, in the operator's memory: status lists only a bounded
 * few (those needing attention first), so the rollout reads its per-pod memory from here. After an
 * operator restart it starts from the entries status kept, and each sidecar's re-sent report brings
 * back the state of the others.
 */
@ApplicationScoped
public class PodLedger {
  /** The entries of one HotPatch incarnation for one bundle. */
  private record Entries(String uid, String sha256, List<PodPatchStatus> pods) {}

  private final Map<PatchKey, Entries> byHotPatch = new ConcurrentHashMap<>();

  /**
   * The entries of the last step of this HotPatch for the bundle its status names, or those status
   * lists.
   */
  public List<PodPatchStatus> entries(HotPatch hotPatch) {
    HotPatchStatus status = hotPatch.getStatus();
    if (status == null) {
      return List.of();
    }
    Entries known = byHotPatch.get(Rollout.keyOf(hotPatch));
    return known != null
            && known.uid().equals(hotPatch.getMetadata().getUid())
            && known.sha256().equals(status.getBundleSha256())
        ? known.pods()
        : status.getPods();
  }

  void remember(HotPatch hotPatch, String sha256, List<PodPatchStatus> pods) {
    byHotPatch.put(
        Rollout.keyOf(hotPatch),
        new Entries(hotPatch.getMetadata().getUid(), sha256, List.copyOf(pods)));
  }

  public void forget(PatchKey key) {
    byHotPatch.remove(key);
  }

  /**
   * Every entry of the HotPatch this operator has stepped since it started, for the per-pod
   * endpoint.
   */
  public Optional<List<PodPatchStatus>> all(PatchKey key) {
    return Optional.ofNullable(byHotPatch.get(key)).map(Entries::pods);
  }
}
