package io.hotpatch.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.config.OperatorSettings;
import io.hotpatch.operator.rollout.RolloutEvent;
import io.hotpatch.operator.rollout.RolloutOutcome;
import io.hotpatch.operator.status.ConditionStatus;
import io.hotpatch.operator.status.StatusAggregator;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Turns a new status into the reconcile result: events and metrics for what changed, a status patch
 * only when something did, and when to look again.
 */
@ApplicationScoped
public class StatusPublisher {
  private static final Logger LOG = Logger.getLogger(StatusPublisher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HotPatchEvents events;
  private final HotPatchMetrics metrics;
  private final OperatorSettings settings;

  public StatusPublisher(
      HotPatchEvents events, HotPatchMetrics metrics, OperatorSettings settings) {
    this.events = events;
    this.metrics = metrics;
    this.settings = settings;
  }

  public UpdateControl<HotPatch> publish(
      HotPatch hotPatch, RolloutOutcome outcome, HotPatchStatus status) {
    outcome.events().forEach(event -> events.record(hotPatch, event));
    Duration next = nextLook(outcome, status);
    return changed(hotPatch, status)
        ? UpdateControl.patchStatus(hotPatch).rescheduleAfter(next)
        : UpdateControl.<HotPatch>noUpdate().rescheduleAfter(next);
  }

  /** The status of a reconcile that failed; JOSDK's retry decides when to look again. */
  public ErrorStatusUpdateControl<HotPatch> publishError(HotPatch hotPatch, HotPatchStatus status) {
    return changed(hotPatch, status)
        ? ErrorStatusUpdateControl.patchStatus(hotPatch)
        : ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** Records a new degradation and the metrics; sets the status on the resource when it changed. */
  private boolean changed(HotPatch hotPatch, HotPatchStatus status) {
    HotPatchStatus before = hotPatch.getStatus();
    logOutcome(hotPatch, before, status);
    String degradedBefore = degradation(before).map(StatusPublisher::describe).orElse(null);
    degradation(status)
        .filter(c -> !describe(c).equals(degradedBefore))
        .ifPresent(
            c -> events.record(hotPatch, RolloutEvent.warning(c.getReason(), c.getMessage())));
    metrics.record(hotPatch, before, status);
    if (JSON.valueToTree(status).equals(before == null ? null : JSON.valueToTree(before))) {
      return false;
    }
    hotPatch.setStatus(status);
    return true;
  }

  private Duration nextLook(RolloutOutcome outcome, HotPatchStatus status) {
    boolean settled =
        status.getConditions().stream()
            .filter(c -> !StatusAggregator.READY.equals(c.getType()))
            .allMatch(c -> ConditionStatus.isFalse(c.getStatus()));
    Duration next =
        settled ? settings.operator().resyncInterval() : settings.operator().pollInterval();
    return outcome.retryAfter() != null && outcome.retryAfter().compareTo(next) < 0
        ? outcome.retryAfter()
        : next;
  }

  /**
   * One line per reconcile: INFO when the conditions moved, DEBUG when they stayed (polls repeat
   * them).
   */
  private static void logOutcome(HotPatch hotPatch, HotPatchStatus before, HotPatchStatus status) {
    String now = conditions(status);
    Logger.Level level = now.equals(conditions(before)) ? Logger.Level.DEBUG : Logger.Level.INFO;
    if (LOG.isEnabled(level)) {
      LOG.logf(
          level,
          "HotPatch %s/%s reconciled: %s",
          hotPatch.getMetadata().getNamespace(),
          hotPatch.getMetadata().getName(),
          now);
    }
  }

  /**
   * "Ready=True (AllPodsPatched), ..." with the message of any condition that is not as expected.
   */
  private static String conditions(HotPatchStatus status) {
    List<Condition> conditions = status == null ? List.of() : status.getConditions();
    return conditions.stream()
        .map(
            c ->
                c.getType()
                    + "="
                    + c.getStatus()
                    + " ("
                    + c.getReason()
                    + (StatusAggregator.READY.equals(c.getType())
                            == ConditionStatus.isTrue(c.getStatus())
                        ? ")"
                        : ": " + c.getMessage() + ")"))
        .collect(Collectors.joining(", "));
  }

  /** The Degraded condition when it is True. */
  private static Optional<Condition> degradation(HotPatchStatus status) {
    List<Condition> conditions = status == null ? List.of() : status.getConditions();
    return conditions.stream()
        .filter(
            c ->
                StatusAggregator.DEGRADED.equals(c.getType())
                    && ConditionStatus.isTrue(c.getStatus()))
        .findFirst();
  }

  private static String describe(Condition condition) {
    return condition.getReason() + ": " + condition.getMessage();
  }
}
