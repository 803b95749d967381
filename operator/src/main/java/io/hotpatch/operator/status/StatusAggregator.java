package io.hotpatch.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.api.v1alpha1.RolloutMode;
import io.hotpatch.operator.config.OperatorSettings;
import io.hotpatch.operator.rollout.PodStates;
import io.hotpatch.operator.rollout.Problem;
import io.hotpatch.operator.rollout.Rollout;
import io.hotpatch.operator.rollout.RolloutOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Builds a HotPatch's whole status, conditions included, from one rollout outcome. */
@ApplicationScoped
public class StatusAggregator {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  /** Where every pod's entry can be read when status lists only some. */
  public static final String POD_STATES =
      "GET /q/hotpatch/pods/%s/%s on the operator's management port (8080)";

  /**
   * Bounds the per-pod list so that one HotPatch over 10,000 pods stays far below etcd's object
   * size.
   */
  private final int maxPodEntries;

  @Inject
  public StatusAggregator(OperatorSettings settings) {
    this(settings.status().maxPodEntries());
  }

  StatusAggregator(int maxPodEntries) {
    this.maxPodEntries = maxPodEntries;
  }

  public HotPatchStatus aggregate(HotPatch hotPatch, RolloutOutcome outcome, Instant now) {
    RolloutMode mode = Rollout.modeOf(hotPatch);
    long generation =
        hotPatch.getMetadata().getGeneration() == null ? 0 : hotPatch.getMetadata().getGeneration();
    List<PodPatchStatus> pods = outcome.pods() == null ? List.of() : outcome.pods();
    int targets = outcome.targetPods();
    int patched = (int) pods.stream().filter(PodStates::patched).count();
    int failed = (int) pods.stream().filter(p -> PodStates.halting(p, mode)).count();

    HotPatchStatus status = new HotPatchStatus();
    status.setObservedGeneration(generation);
    status.setBundleSha256(outcome.bundleSha256());
    status.setTargetPods(targets);
    status.setPatchedPods(patched);
    status.setFailedPods(failed);
    status.setPatched(patched + "/" + targets);
    status.setHaltedWave(outcome.haltedWave());
    status.setHaltMessage(outcome.haltMessage());
    status.setHaltReason(outcome.haltReason());
    status.setPods(PodEntrySelection.select(pods, mode, maxPodEntries));
    if (status.getPods().size() < pods.size()) {
      status.setPodsOmitted(pods.size() - status.getPods().size());
      status.setPodStates(
          String.format(
              POD_STATES, hotPatch.getMetadata().getNamespace(), hotPatch.getMetadata().getName()));
    }

    Problem degraded = degradation(outcome);
    List<Condition> previous =
        hotPatch.getStatus() == null ? List.of() : hotPatch.getStatus().getConditions();
    Conditions conditions = new Conditions(previous, generation, now);
    if (degraded != null) {
      conditions.set(READY, false, degraded.reason(), degraded.message());
    } else if (patched == targets) {
      conditions.set(
          READY,
          true,
          (targets == 0 ? Reason.NoTargets : Reason.AllPodsPatched).name(),
          targets == 0
              ? "No pods match the selector; pods created later get the patch"
              : patched + "/" + targets + " pods run the patch");
    } else {
      Problem progress =
          outcome.progress() != null
              ? outcome.progress()
              : new Problem(Reason.RolloutInProgress, patched + "/" + targets + " pods patched");
      conditions.set(READY, false, progress.reason(), progress.message());
    }
    if (outcome.haltedWave() != null) {
      conditions.set(PROGRESSING, false, Reason.RolloutHalted.name(), outcome.haltMessage());
    } else if (outcome.progress() != null) {
      conditions.set(PROGRESSING, true, outcome.progress().reason(), outcome.progress().message());
    } else if (degraded != null) {
      conditions.set(PROGRESSING, false, degraded.reason(), degraded.message());
    } else {
      conditions.set(
          PROGRESSING,
          false,
          Reason.RolloutComplete.name(),
          patched + "/" + targets + " pods run the patch");
    }
    if (degraded != null) {
      conditions.set(DEGRADED, true, degraded.reason(), degraded.message());
    } else {
      conditions.set(DEGRADED, false, Reason.AsExpected.name(), "No problems");
    }
    status.setConditions(conditions.list());
    return status;
  }

  private static Problem degradation(RolloutOutcome outcome) {
    if (!outcome.problems().isEmpty()) {
      return new Problem(
          outcome.problems().get(0).reason(),
          outcome.problems().stream().map(Problem::message).collect(Collectors.joining("; ")));
    }
    if (outcome.haltedWave() != null) {
      return new Problem(
          outcome.haltReason() != null ? outcome.haltReason() : Reason.RolloutHalted.name(),
          outcome.haltMessage());
    }
    return null;
  }

  /** Condition list where lastTransitionTime moves only when a condition's status changes. */
  private static final class Conditions {
    private final List<Condition> previous;
    private final long generation;
    private final String now;
    private final List<Condition> result = new ArrayList<>();

    Conditions(List<Condition> previous, long generation, Instant now) {
      this.previous = previous == null ? List.of() : previous;
      this.generation = generation;
      this.now = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    void set(String type, boolean value, String reason, String message) {
      String status = ConditionStatus.of(value);
      String since =
          previous.stream()
              .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
              .map(Condition::getLastTransitionTime)
              .findFirst()
              .orElse(now);
      result.add(
          new ConditionBuilder()
              .withType(type)
              .withStatus(status)
              .withReason(reason)
              .withMessage(message)
              .withObservedGeneration(generation)
              .withLastTransitionTime(since)
              .build());
    }

    List<Condition> list() {
      return result;
    }
  }
}
