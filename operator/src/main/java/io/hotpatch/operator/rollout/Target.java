package io.hotpatch.operator.rollout;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.operator.channel.TargetPod;
import java.time.Instant;

/**
 * A pod the HotPatch selects, with what the rollout needs to know about its target container.
 *
 * @param containerStartedAt when the target container last started, null when unknown
 * @param startedForPatch the pod was created from a template the restart fallback annotated for
 *     this HotPatch, so its JVM starts with the patch
 */
public record Target(
    Pod pod,
    TargetPod ref,
    boolean running,
    boolean ready,
    int restartCount,
    Instant containerStartedAt,
    boolean startedForPatch) {

  public String name() {
    return ref.name();
  }

  public String uid() {
    return ref.uid();
  }
}
