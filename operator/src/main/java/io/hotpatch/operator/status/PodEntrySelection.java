package io.hotpatch.operator.status;

import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.RolloutMode;
import io.hotpatch.operator.rollout.PodStates;
import java.util.Comparator;
import java.util.List;

/**
 * Which per-pod entries status lists, at most {@code max}: failures first, then pods with a result
 * other than patched (a restart blocked, NOT_HOT_APPLICABLE, reverted), then pods still waiting,
 * the earliest wave first, then the patched ones; listed by name.
 */
final class PodEntrySelection {
  private PodEntrySelection() {}

  static List<PodPatchStatus> select(List<PodPatchStatus> pods, RolloutMode mode, int max) {
    if (pods.size() <= max) {
      return pods.stream().sorted(Comparator.comparing(PodPatchStatus::getName)).toList();
    }
    Comparator<PodPatchStatus> attention =
        Comparator.<PodPatchStatus>comparingInt(p -> rank(p, mode))
            .thenComparing(p -> p.getWave() == null ? 0 : p.getWave())
            .thenComparing(PodPatchStatus::getName);
    return pods.stream()
        .sorted(attention)
        .limit(max)
        .sorted(Comparator.comparing(PodPatchStatus::getName))
        .toList();
  }

  private static int rank(PodPatchStatus pod, RolloutMode mode) {
    if (PodStates.halting(pod, mode)) {
      return 0;
    }
    if (PodStates.patched(pod)) {
      return 3;
    }
    return pod.getState() != null ? 1 : 2;
  }
}
