package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.HealthProbe;
import io.hotpatch.core.channel.HealthState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.sidecar.AttachFailure;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar's view of the app while the operator watches a patch (its order carries a health
 * check): at once after the patch is applied and then every period, the check's GET on the pod's
 * loopback and whether the JVM still runs the patch; the verdicts mark the report's outcomes.
 */
final class HealthWatch {
  /** One watched patch in one JVM. */
  private static final class Watch {
    final HealthProbe probe;
    long dueAt;
    int failures;
    HealthState state;
    String message = "";

    Watch(HealthProbe probe, long dueAt) {
      this.probe = probe;
      this.dueAt = dueAt;
    }
  }

  private final Agent agent;
  private final LoopbackGet get;

  /** By HotPatch, bundle, check and JVM: a change of any of them starts a new watch. */
  private final Map<String, Watch> watches = new LinkedHashMap<>();

  private long pid;

  HealthWatch(Agent agent, LoopbackGet get) {
    this.agent = agent;
    this.get = get;
  }

  /**
   * After a converge pass: watches the orders with a check whose patch the JVM runs, forgets the
   * others, checks the new ones now, and returns the report marked with the verdicts.
   */
  PodReport track(long pid, DesiredState desired, PodReport report, long now) {
    this.pid = pid;
    Map<String, HealthProbe> probes = new HashMap<>();
    for (PatchOrder order : desired.getPatches()) {
      if (order.getAction() == PatchOrder.Action.APPLY && order.getHealthCheck() != null) {
        probes.put(order.getPatch() + " " + order.getSha256(), order.getHealthCheck());
      }
    }
    Set<String> keep = new HashSet<>();
    for (PatchOutcome outcome : report.getOutcomes()) {
      HealthProbe probe = probes.get(outcome.getPatch() + " " + outcome.getSha256());
      if (probe != null && running(outcome.getState())) {
        String key = key(outcome, probe);
        keep.add(key);
        watches.computeIfAbsent(key, k -> new Watch(probe, now));
      }
    }
    watches.keySet().retainAll(keep);
    // This pass just read the agent's status: the first check need not attach again to ask.
    checkDue(now, false);
    return mark(report);
  }

  /** Forgets every watch: the JVM is gone. */
  void clear() {
    watches.clear();
  }

  /** Milliseconds until the next check is due (0 when due), at most {@code max}. */
  long millisUntilDue(long now, long max) {
    long next = max;
    for (Watch watch : watches.values()) {
      if (watch.state != HealthState.FAILED) {
        next = Math.min(next, Math.max(0, TimeUnit.NANOSECONDS.toMillis(watch.dueAt - now)));
      }
    }
    return next;
  }

  /** Runs the checks that are due; true when a verdict changed. */
  boolean check(long now) {
    return checkDue(now, true);
  }

  private boolean checkDue(long now, boolean askAgent) {
    Set<String> active = null;
    boolean asked = !askAgent;
    boolean changed = false;
    for (Map.Entry<String, Watch> entry : watches.entrySet()) {
      Watch watch = entry.getValue();
      if (watch.state == HealthState.FAILED || now - watch.dueAt < 0) {
        continue;
      }
      if (!asked) {
        active = activePatches();
        asked = true;
      }
      String sha = entry.getKey().split(" ")[1];
      HealthState before = watch.state;
      String message = watch.message;
      if (active != null && !active.contains(sha)) {
        watch.state = HealthState.FAILED;
        watch.message =
            "patch "
                + sha.substring(0, Math.min(12, sha.length()))
                + " is no longer active in JVM pid "
                + pid
                + " (reverted outside the operator?)";
      } else {
        probe(watch);
      }
      watch.dueAt = now + TimeUnit.SECONDS.toNanos(watch.probe.getPeriodSeconds());
      changed |= watch.state != before || !watch.message.equals(message);
    }
    return changed;
  }

  /** A copy of the report whose watched outcomes carry their verdicts. */
  PodReport mark(PodReport report) {
    PodReport marked = copy(report);
    for (PatchOutcome outcome : marked.getOutcomes()) {
      for (Map.Entry<String, Watch> entry : watches.entrySet()) {
        if (entry.getKey().startsWith(outcome.getPatch() + " " + outcome.getSha256() + " ")
            && entry.getValue().state != null) {
          outcome.setHealth(entry.getValue().state);
          outcome.setHealthMessage(entry.getValue().message);
        }
      }
    }
    return marked;
  }

  /** The last report again, its running patches marked FAILED: the JVM they ran in exited. */
  static PodReport jvmEnded(PodReport last, long pid) {
    PodReport ended = copy(last);
    ended.setMessage("JVM pid " + pid + " ended");
    for (PatchOutcome outcome : ended.getOutcomes()) {
      if (running(outcome.getState())) {
        outcome.setHealth(HealthState.FAILED);
        outcome.setHealthMessage("the JVM (pid " + pid + ") running the patch exited");
      }
    }
    return ended;
  }

  private void probe(Watch watch) {
    String url = get.url(watch.probe);
    String failure;
    try {
      int status = get.status(watch.probe);
      if (status == watch.probe.getExpectedStatus()) {
        watch.failures = 0;
        watch.state = HealthState.PASSING;
        watch.message = "GET " + url + " answered " + status;
        return;
      }
      failure =
          "GET " + url + " answered " + status + ", expected " + watch.probe.getExpectedStatus();
    } catch (IOException e) {
      failure = "GET " + url + " failed (" + e + ")";
    }
    watch.failures++;
    boolean failed = watch.failures >= watch.probe.getFailureThreshold();
    watch.state = failed ? HealthState.FAILED : HealthState.FAILING;
    watch.message =
        failure
            + " "
            + watch.failures
            + (watch.failures == 1 ? " time" : " times")
            + " in a row"
            + (failed ? " (failureThreshold " : ", failing at ")
            + watch.probe.getFailureThreshold()
            + (failed ? ")" : "");
  }

  /**
   * The sha256 of every patch the JVM runs or will run, or null when the agent cannot be asked now.
   */
  private Set<String> activePatches() {
    AgentStatus status;
    try {
      status = agent.status(pid);
    } catch (AttachFailure e) {
      return null; // attach trouble says nothing about the patch: the HTTP check still runs
    }
    Set<String> active = new HashSet<>();
    for (AppliedPatch patch : status.getPatches()) {
      if (patch.getState() != AppliedPatch.State.NOT_APPLIED) {
        active.add(patch.getId());
      }
    }
    return active;
  }

  private String key(PatchOutcome outcome, HealthProbe probe) {
    return outcome.getPatch() + " " + outcome.getSha256() + " " + pid + " " + probe;
  }

  private static boolean running(ResultState state) {
    return state == ResultState.APPLIED || state == ResultState.ALREADY_APPLIED;
  }

  private static PodReport copy(PodReport report) {
    PodReport copy = new PodReport();
    copy.setPid(report.getPid());
    copy.setJvmVersion(report.getJvmVersion());
    copy.setJvmStartMillis(report.getJvmStartMillis());
    copy.setAgentLoadedAtStartup(report.isAgentLoadedAtStartup());
    copy.setMessage(report.getMessage());
    for (PatchOutcome outcome : report.getOutcomes()) {
      PatchOutcome same =
          new PatchOutcome(
              outcome.getPatch(),
              outcome.getUid(),
              outcome.getSha256(),
              outcome.getState(),
              outcome.getMethod(),
              outcome.getMessage());
      same.setHealth(outcome.getHealth());
      same.setHealthMessage(outcome.getHealthMessage());
      copy.getOutcomes().add(same);
    }
    return copy;
  }
}
