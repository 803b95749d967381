package io.hotpatch.operator.rollout;

import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.HealthState;
import io.hotpatch.operator.api.v1alpha1.HealthCheck;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.api.v1alpha1.RolloutMode;
import io.hotpatch.operator.rollout.WavePlanner.AdmittedPod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The working state of one rollout step: the targets, their entries, and what the step found. */
final class RolloutStep {
  final HotPatch hotPatch;
  final RolloutMode mode;
  final String sha256;
  final byte[] bundle;
  final Instant now;
  final List<Target> targets;
  final Map<String, PodPatchStatus> entries;
  final List<RolloutEvent> events = new ArrayList<>();
  final List<Problem> problems = new ArrayList<>();
  Integer haltedWave;
  String haltMessage;
  String haltReason;
  Problem progress;
  Duration retryAfter;

  /**
   * @param previousPods every entry of the last step (the ledger's, or status's after a restart)
   */
  RolloutStep(
      HotPatch hotPatch,
      String sha256,
      byte[] bundle,
      List<Target> targets,
      List<PodPatchStatus> previousPods,
      Instant now) {
    this.hotPatch = hotPatch;
    this.mode = Rollout.modeOf(hotPatch);
    this.sha256 = sha256;
    this.bundle = bundle;
    this.targets = targets;
    this.now = now;
    HotPatchStatus previous = hotPatch.getStatus();
    boolean sameBundle = previous != null && sha256.equals(previous.getBundleSha256());
    this.entries = carriedOver(sameBundle ? previousPods : List.of(), targets);
    this.haltedWave = sameBundle ? previous.getHaltedWave() : null;
    this.haltMessage = sameBundle ? previous.getHaltMessage() : null;
    this.haltReason = sameBundle ? previous.getHaltReason() : null;
  }

  boolean halted() {
    return haltedWave != null;
  }

  void halt(int wave, String reason, String message) {
    haltedWave = wave;
    haltReason = reason;
    haltMessage = message;
  }

  /** The check the HotPatch declares for its waves, or null. */
  HealthCheck healthCheck() {
    return hotPatch.getSpec().getStrategy() == null
        ? null
        : hotPatch.getSpec().getStrategy().getHealthCheck();
  }

  PodPatchStatus entry(Target target) {
    return entries.get(target.uid());
  }

  void admit(Target target, int wave, String message) {
    PodPatchStatus entry = new PodPatchStatus();
    entry.setName(target.name());
    entry.setUid(target.uid());
    entry.setWave(wave);
    entry.setRestartCount(target.restartCount());
    entry.setMessage(message);
    entries.put(target.uid(), entry);
  }

  int currentWave() {
    return entries.values().stream().mapToInt(PodPatchStatus::getWave).max().orElse(1);
  }

  /** Pods that must be rolled by their workload to get the patch. */
  boolean needsRestart(Target target) {
    PodPatchStatus entry = entry(target);
    return entry != null
        && !target.startedForPatch()
        && !PodStates.patched(entry)
        && (mode == RolloutMode.RestartOnly
            || entry.getState() == ResultState.NOT_HOT_APPLICABLE
            || UninjectedDelivery.RESTART.equals(entry.getDelivery()));
  }

  /**
   * The pods reached so far; with a declared health check, a pod is settled only once it passes.
   */
  List<AdmittedPod> admitted() {
    HealthCheck gated = healthCheck();
    Map<String, Target> byUid =
        targets.stream().collect(Collectors.toMap(Target::uid, Function.identity()));
    return entries.values().stream()
        .map(
            e ->
                new AdmittedPod(
                    e.getName(),
                    e.getWave(),
                    PodStates.patched(e)
                        && byUid.get(e.getUid()).ready()
                        && (gated == null || passing(e)),
                    e.getPatchedAt() == null ? null : Instant.parse(e.getPatchedAt())))
        .toList();
  }

  RolloutOutcome outcome() {
    if (progress == null) {
      progress = progressOf();
    }
    return new RolloutOutcome(
        sha256,
        new ArrayList<>(entries.values()),
        targets.size(),
        haltedWave,
        haltMessage,
        haltReason,
        problems,
        progress,
        retryAfter,
        events);
  }

  private Problem progressOf() {
    long patched = entries.values().stream().filter(PodStates::patched).count();
    if (patched == targets.size()) {
      return null;
    }
    String counts = patched + "/" + targets.size() + " pods patched";
    return targets.stream().anyMatch(this::needsRestart)
        ? new Problem(Reason.RestartInProgress, counts + "; waiting for workloads to roll")
        : new Problem(Reason.WaveInProgress, counts);
  }

  private static boolean passing(PodPatchStatus entry) {
    return entry.getHealth() != null && entry.getHealth().startsWith(HealthState.PASSING.name());
  }

  /** Entries of pods still targeted, copied so that the previous status stays untouched. */
  private static Map<String, PodPatchStatus> carriedOver(
      List<PodPatchStatus> previous, List<Target> targets) {
    Set<String> uids = targets.stream().map(Target::uid).collect(Collectors.toSet());
    Map<String, PodPatchStatus> entries = new LinkedHashMap<>();
    for (PodPatchStatus old : previous == null ? List.<PodPatchStatus>of() : previous) {
      if (uids.contains(old.getUid())) {
        entries.put(old.getUid(), copy(old));
      }
    }
    return entries;
  }

  private static PodPatchStatus copy(PodPatchStatus old) {
    PodPatchStatus entry = new PodPatchStatus();
    entry.setName(old.getName());
    entry.setUid(old.getUid());
    entry.setWave(old.getWave());
    entry.setState(old.getState());
    entry.setMethod(old.getMethod());
    entry.setMessage(old.getMessage());
    entry.setRestartCount(old.getRestartCount() == null ? 0 : old.getRestartCount());
    entry.setPatchedAt(old.getPatchedAt());
    entry.setHealth(old.getHealth());
    entry.setDelivery(old.getDelivery());
    return entry;
  }
}
