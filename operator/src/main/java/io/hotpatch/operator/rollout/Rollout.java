package io.hotpatch.operator.rollout;

import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.HealthProbe;
import io.hotpatch.operator.api.v1alpha1.CanaryStrategy;
import io.hotpatch.operator.api.v1alpha1.HealthCheck;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.api.v1alpha1.RolloutMode;
import io.hotpatch.operator.api.v1alpha1.RolloutStrategy;
import io.hotpatch.operator.channel.DesiredPatch;
import io.hotpatch.operator.channel.PatchKey;
import io.hotpatch.operator.channel.PodReport;
import io.hotpatch.operator.channel.SidecarGateway;
import io.hotpatch.operator.events.NameList;
import io.hotpatch.operator.rollout.WavePlanner.WavePlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Moves a HotPatch's rollout one step: observes the target pods, halts on failures, admits the next
 * wave, publishes desired patches and triggers the restart fallback. All it remembers lives in the
 * HotPatch status it is given and returns.
 */
@ApplicationScoped
public class Rollout {
  private final TargetSelector selector;
  private final SidecarGateway gateway;
  private final RestartFallback fallback;
  private final UninjectedDelivery delivery;
  private final PodLedger ledger;
  private final PodMetrics metrics;

  public Rollout(
      TargetSelector selector,
      SidecarGateway gateway,
      RestartFallback fallback,
      PodLedger ledger,
      PodMetrics metrics,
      UninjectedDelivery delivery) {
    this.selector = selector;
    this.gateway = gateway;
    this.fallback = fallback;
    this.ledger = ledger;
    this.metrics = metrics;
    this.delivery = delivery;
  }

  public static PatchKey keyOf(HotPatch hotPatch) {
    return new PatchKey(hotPatch.getMetadata().getNamespace(), hotPatch.getMetadata().getName());
  }

  public static RolloutMode modeOf(HotPatch hotPatch) {
    RolloutStrategy strategy = hotPatch.getSpec() == null ? null : hotPatch.getSpec().getStrategy();
    return strategy == null || strategy.getMode() == null ? RolloutMode.Auto : strategy.getMode();
  }

  public RolloutOutcome advance(HotPatch hotPatch, String sha256, byte[] bundle, Instant now) {
    List<PodPatchStatus> previous = ledger.entries(hotPatch);
    RolloutStep step =
        new RolloutStep(hotPatch, sha256, bundle, selector.select(hotPatch), previous, now);
    WavePlanner planner = planner(hotPatch, step.targets.size());
    observe(step, planner);
    if (!step.halted()) {
      admit(step, planner);
      delivery.deliver(step);
    }
    publish(step, planner);
    if (!step.halted()) {
      fallBack(step);
    }
    RolloutOutcome outcome = step.outcome();
    ledger.remember(hotPatch, sha256, outcome.pods());
    metrics.record(
        hotPatch, sha256.equals(statusSha(hotPatch)) ? previous : List.of(), outcome.pods());
    return outcome;
  }

  /** Nothing moves: every entry of the last step stands, and the problem says why. */
  public RolloutOutcome stalled(HotPatch hotPatch, Problem problem) {
    return RolloutOutcome.stalled(hotPatch.getStatus(), ledger.entries(hotPatch), problem);
  }

  private static String statusSha(HotPatch hotPatch) {
    return hotPatch.getStatus() == null ? null : hotPatch.getStatus().getBundleSha256();
  }

  /** Folds each pod's report and health into its entry; the first failure halts the rollout. */
  private void observe(RolloutStep step, WavePlanner planner) {
    OptionalInt watchedWave = planner.watchedWave(step.admitted(), step.now);
    for (Target target : step.targets) {
      PodPatchStatus entry = step.entry(target);
      Optional<PodReport> report = gateway.report(target.ref(), keyOf(step.hotPatch));
      if (entry == null && reportsPatched(report, step.sha256)) {
        // Patched before this operator started (its memory of the pod is gone, status keeps only a
        // few).
        step.admit(target, step.currentWave(), "patched before the operator restarted");
        entry = step.entry(target);
      }
      if (entry == null) {
        continue;
      }
      boolean watched = !step.halted() && watchedWave.equals(OptionalInt.of(entry.getWave()));
      Problem failure =
          PodObserver.observe(entry, target, report, step.sha256, watched, step.mode, step.now);
      if (failure != null && !step.halted()) {
        step.halt(
            entry.getWave(),
            failure.reason(),
            "Pod "
                + target.name()
                + " failed in wave "
                + entry.getWave()
                + (entry.getWave() == 0 ? " (canary)" : "")
                + ": "
                + failure.message()
                + "; the wave's pods are reverted. Publish a fixed bundle (new sha256) to retry");
      }
    }
  }

  /** Lets in the pods whose turn it is: restarted-for-the-patch pods at once, others by wave. */
  private void admit(RolloutStep step, WavePlanner planner) {
    for (Target target : step.targets) {
      if (target.startedForPatch() && step.entry(target) == null) {
        step.admit(target, step.currentWave(), "started with the patch by the restart fallback");
      }
    }
    if (step.mode == RolloutMode.RestartOnly) {
      step.targets.stream()
          .filter(t -> step.entry(t) == null)
          .forEach(t -> step.admit(t, 1, "waiting for its workload to roll"));
      return;
    }
    List<String> candidates =
        step.targets.stream()
            .filter(t -> step.entry(t) == null && t.running() && t.ready())
            .map(Target::name)
            .toList();
    WavePlan plan = planner.plan(candidates, step.admitted(), step.now);
    if (plan.admits()) {
      Map<String, Target> byName =
          step.targets.stream().collect(Collectors.toMap(Target::name, Function.identity()));
      plan.admit()
          .forEach(name -> step.admit(byName.get(name), plan.wave(), "waiting for the sidecar"));
      step.events.add(
          RolloutEvent.normal(
              Reason.WaveStarted,
              (plan.wave() == 0 ? "Canary wave" : "Wave " + plan.wave())
                  + " started"
                  + (plan.admit().size() > NameList.SHOWN
                      ? " for " + plan.admit().size() + " pods: "
                      : ": ")
                  + NameList.brief(plan.admit())));
    } else if (Reason.CanarySoaking.name().equals(plan.waitReason())) {
      // The soak's end, not the time left, so that the message (and status) stays the same until
      // then.
      Instant soakEnds = step.now.plus(plan.retryAfter()).truncatedTo(ChronoUnit.SECONDS);
      step.progress =
          new Problem(
              Reason.CanarySoaking,
              "Canary pods are patched; the next wave starts after their soak ends at " + soakEnds);
      step.retryAfter = plan.retryAfter();
    }
  }

  /**
   * Tells every reached pod's sidecar what to converge to; a halted wave's pods revert, and the
   * pods of the watched wave run the declared health check until their wave is done.
   */
  private void publish(RolloutStep step, WavePlanner planner) {
    HealthProbe probe = probe(step.healthCheck());
    OptionalInt watchedWave =
        step.halted() ? OptionalInt.empty() : planner.watchedWave(step.admitted(), step.now);
    for (Target target : step.targets) {
      PodPatchStatus entry = step.entry(target);
      if (entry != null) {
        boolean revert = step.halted() && step.haltedWave.equals(entry.getWave());
        boolean watched = watchedWave.equals(OptionalInt.of(entry.getWave()));
        if (!watched) {
          entry.setHealth(
              null); // shown only while the wave is watched, also once this step finished it
        }
        gateway.publish(
            target.ref(),
            new DesiredPatch(
                keyOf(step.hotPatch),
                step.hotPatch.getMetadata().getUid(),
                step.sha256,
                step.bundle,
                revert ? DesiredPatch.Action.REVERT : DesiredPatch.Action.APPLY,
                step.mode != RolloutMode.RestartOnly,
                step.hotPatch.getSpec().allowsJdkClasses(),
                watched && !revert ? probe : null));
      }
    }
  }

  /** The declared check, defaults filled in, as the sidecar runs it. */
  private static HealthProbe probe(HealthCheck check) {
    if (check == null || check.getHttpGet() == null) {
      return null;
    }
    return new HealthProbe(
        check.getHttpGet().getPath(),
        check.getHttpGet().getPort(),
        Objects.requireNonNullElse(check.getExpectedStatus(), HealthCheck.DEFAULT_EXPECTED_STATUS),
        Objects.requireNonNullElse(
            check.getFailureThreshold(), HealthCheck.DEFAULT_FAILURE_THRESHOLD),
        Objects.requireNonNullElse(check.getPeriodSeconds(), HealthCheck.DEFAULT_PERIOD_SECONDS),
        Objects.requireNonNullElse(check.getTimeoutSeconds(), HealthCheck.DEFAULT_TIMEOUT_SECONDS));
  }

  /** Rolls the workloads of pods that cannot take the patch live, when the mode allows it. */
  private void fallBack(RolloutStep step) {
    if (step.mode == RolloutMode.HotOnly) {
      return;
    }
    Set<String> reported = new LinkedHashSet<>();
    for (Target target : step.targets) {
      if (!step.needsRestart(target)) {
        continue;
      }
      PodPatchStatus entry = step.entry(target);
      FallbackResult result = fallback.request(step.hotPatch, target.pod());
      switch (result.outcome()) {
        case RESTARTED -> {
          step.events.add(
              RolloutEvent.normal(
                  Reason.RestartFallback,
                  "Rolling "
                      + result.workload()
                      + " so that its pods start with the patch ("
                      + target.name()
                      + " cannot take it live)"));
          entry.setMessage("restart requested on " + result.workload());
        }
        case ALREADY_REQUESTED -> entry.setMessage("restart requested on " + result.workload());
        case BLOCKED -> {
          entry.setMessage(result.problem().message());
          if (reported.add(result.problem().message())) {
            step.problems.add(result.problem());
          }
        }
      }
    }
  }

  private static boolean reportsPatched(Optional<PodReport> report, String sha256) {
    return report
        .filter(r -> sha256.equals(r.sha256()))
        .map(r -> r.state() == ResultState.APPLIED || r.state() == ResultState.ALREADY_APPLIED)
        .orElse(false);
  }

  private static WavePlanner planner(HotPatch hotPatch, int targets) {
    RolloutStrategy strategy = hotPatch.getSpec().getStrategy();
    CanaryStrategy canary = strategy == null ? null : strategy.getCanary();
    int canaryPods = canary == null || canary.getPods() == null ? 0 : canary.getPods();
    int soak = canary == null || canary.getSoakSeconds() == null ? 0 : canary.getSoakSeconds();
    return new WavePlanner(
        canaryPods,
        Duration.ofSeconds(soak),
        MaxParallel.resolve(strategy == null ? null : strategy.getMaxParallel(), targets));
  }
}
