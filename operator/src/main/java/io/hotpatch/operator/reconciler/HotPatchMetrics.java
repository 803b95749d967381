package io.hotpatch.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.status.ConditionStatus;
import io.hotpatch.operator.status.StatusAggregator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Prometheus metrics: time from HotPatch creation to Ready (pods patched and failures: PodMetrics).
 */
@ApplicationScoped
public class HotPatchMetrics {
  private final MeterRegistry registry;

  public HotPatchMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records the time to Ready when this status turned the HotPatch Ready. */
  public void record(HotPatch hotPatch, HotPatchStatus before, HotPatchStatus after) {
    if (readyNow(after) && !readyNow(before)) {
      Instant created =
          OffsetDateTime.parse(hotPatch.getMetadata().getCreationTimestamp()).toInstant();
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
        .anyMatch(
            c ->
                StatusAggregator.READY.equals(c.getType())
                    && ConditionStatus.isTrue(c.getStatus()));
  }
}
