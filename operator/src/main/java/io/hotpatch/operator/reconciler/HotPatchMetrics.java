package io.hotpatch.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.rollout.PodStates;
import io.hotpatch.operator.rollout.Rollout;
import io.hotpatch.operator.status.StatusAggregator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Prometheus metrics: pods patched, pod failures, and time from HotPatch creation to Ready. */
@ApplicationScoped
public class HotPatchMetrics {
  private final MeterRegistry registry;

  public HotPatchMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts what changed between two statuses of the same HotPatch. */
  public void record(HotPatch hotPatch, HotPatchStatus before, HotPatchStatus after) {
    String namespace = hotPatch.getMetadata().getNamespace();
    String name = hotPatch.getMetadata().getName();
    Map<String, PodPatchStatus> old = before == null ? Map.of()
        : before.getPods().stream().collect(Collectors.toMap(PodPatchStatus::getUid, Function.identity(), (a, b) -> a));
    var mode = Rollout.modeOf(hotPatch);
    for (PodPatchStatus pod : after.getPods()) {
      PodPatchStatus was = old.get(pod.getUid());
      if (PodStates.patched(pod) && (was == null || !PodStates.patched(was))) {
        registry.counter("hotpatch.pods.patched", "namespace", namespace, "hotpatch", name,
            "method", pod.getMethod() == null ? "unknown" : pod.getMethod()).increment();
      }
      if (PodStates.halting(pod, mode) && (was == null || !PodStates.halting(was, mode))) {
        registry.counter("hotpatch.pod.failures", "namespace", namespace, "hotpatch", name,
            "state", pod.getState().name()).increment();
      }
    }
    if (readyNow(after) && !readyNow(before)) {
      Instant created = OffsetDateTime.parse(hotPatch.getMetadata().getCreationTimestamp()).toInstant();
      Timer.builder("hotpatch.time.to.ready")
          .description("Time from HotPatch creation to its Ready condition turning True")
          .publishPercentileHistogram()
          .register(registry)
          .record(Duration.between(created, Instant.now()));
    }
  }

  private static boolean readyNow(HotPatchStatus status) {
    List<Condition> conditions = status == null ? List.of() : status.getConditions();
    return conditions.stream()
        .anyMatch(c -> StatusAggregator.READY.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
