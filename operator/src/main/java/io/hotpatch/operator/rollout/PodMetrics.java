package io.hotpatch.operator.rollout;

import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Prometheus counters of pods patched and pod failures, from every entry of a rollout step (status
 * lists a few).
 */
@ApplicationScoped
public class PodMetrics {
  private final MeterRegistry registry;

  public PodMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts the pods that turned patched or failed between two steps of the same rollout. */
  void record(HotPatch hotPatch, List<PodPatchStatus> before, List<PodPatchStatus> after) {
    String namespace = hotPatch.getMetadata().getNamespace();
    String name = hotPatch.getMetadata().getName();
    Map<String, PodPatchStatus> old =
        before.stream()
            .collect(Collectors.toMap(PodPatchStatus::getUid, Function.identity(), (a, b) -> a));
    var mode = Rollout.modeOf(hotPatch);
    for (PodPatchStatus pod : after) {
      PodPatchStatus was = old.get(pod.getUid());
      if (PodStates.patched(pod) && (was == null || !PodStates.patched(was))) {
        registry
            .counter(
                "hotpatch.pods.patched",
                "namespace",
                namespace,
                "hotpatch",
                name,
                "method",
                pod.getMethod() == null ? "unknown" : pod.getMethod())
            .increment();
      }
      if (PodStates.halting(pod, mode) && (was == null || !PodStates.halting(was, mode))) {
        registry
            .counter(
                "hotpatch.pod.failures",
                "namespace",
                namespace,
                "hotpatch",
                name,
                "state",
                pod.getState().name())
            .increment();
      }
    }
  }
}
