package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PatchedClass;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.sidecar.AttachFailure;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Brings one JVM to the desired patches and says how it went: reads the agent's status first, so a
 * patch that is already active (applied before this sidecar restarted, or at JVM start) is never
 * redefined again; applies the missing ones hot when allowed, reverts what must go. The JVM knows a
 * patch by its bundle's sha256, the operator by its HotPatch: every outcome answers the order it
 * was asked in, so a second HotPatch with a bundle the JVM already runs hears ALREADY_APPLIED.
 */
final class Converger {
  /**
   * One converge pass.
   *
   * @param retry true when something may succeed later without a new desired state (attach or
   *     channel trouble), so the daemon should pass again after a backoff
   */
  record Pass(PodReport report, boolean retry) {}

  /** A JVM incarnation: a restarted container runs a new one, which is converged afresh. */
  private record Incarnation(long pid, long startMillis) {}

  /** The agent's answer to one action on a bundle, as first told to the order that asked. */
  private record Settled(PatchOrder.Action action, PatchOutcome outcome) {}

  private final Agent agent;
  private final Consumer<String> events;

  /**
   * The agent's last answer per sha256 in this incarnation, so it is not asked twice; failures are
   * asked again when the desired revision changes.
   */
  private final Map<String, Settled> settled = new HashMap<>();

  private Incarnation incarnation;
  private String revision;

  Converger(Agent agent, Consumer<String> events) {
    this.agent = agent;
    this.events = events;
  }

  /**
   * One pass; an order whose bundle the channel has not delivered yet gets no outcome in the
   * report.
   */
  Pass converge(long pid, DesiredState desired, BundleStore.Staged staged) {
    PodReport report = new PodReport();
    report.setPid(pid);
    if (desired.getPatches().isEmpty()) {
      // Nothing to apply or revert: asking for the status would attach the agent to a JVM that
      // was never given one (a pod whose HotPatch is gone, restarted) for nothing.
      return new Pass(report, false);
    }
    AgentStatus status;
    try {
      status = agent.status(pid);
    } catch (AttachFailure e) {
      report.setMessage(e.getMessage());
      return new Pass(report, true);
    }
    Incarnation current = new Incarnation(pid, status.getJvmStartMillis());
    if (!current.equals(incarnation)) {
      settled.clear();
      incarnation = current;
    } else if (!desired.getRevision().equals(revision)) {
      settled.values().removeIf(earlier -> !succeeded(earlier.outcome().getState()));
    }
    revision = desired.getRevision();
    report.setJvmVersion(status.getJvmVersion());
    report.setJvmStartMillis(status.getJvmStartMillis());
    report.setAgentLoadedAtStartup(status.isLoadedAtStartup());
    Map<String, AppliedPatch> active = new HashMap<>();
    for (AppliedPatch patch : status.getPatches()) {
      active.put(patch.getId(), patch);
    }
    Map<String, String> appliedFor = new HashMap<>();
    for (PatchOrder order : desired.getPatches()) {
      if (order.getAction() == PatchOrder.Action.APPLY) {
        appliedFor.putIfAbsent(order.getSha256(), order.getPatch());
      }
    }
    Set<String> askedThisPass = new HashSet<>();
    boolean retry = staged.retry();
    for (PatchOrder order : desired.getPatches()) {
      String sha = order.getSha256();
      PatchOutcome outcome;
      try {
        outcome =
            order.getAction() == PatchOrder.Action.APPLY
                ? apply(pid, order, active.get(sha), staged, askedThisPass.contains(sha))
                : revert(
                    pid, order, active.get(sha), askedThisPass.contains(sha), appliedFor.get(sha));
      } catch (AttachFailure e) {
        outcome = outcome(order, ResultState.FAILED, null, e.getMessage());
        retry = true;
      }
      if (outcome != null) {
        askedThisPass.add(sha);
        report.getOutcomes().add(outcome);
      }
    }
    return new Pass(report, retry);
  }

  /**
   * @param askedThisPass an earlier order of this pass was about the same bundle, so {@code active}
   *     (read before the pass) may be out of date and the earlier answer stands
   */
  private PatchOutcome apply(
      long pid,
      PatchOrder order,
      AppliedPatch active,
      BundleStore.Staged staged,
      boolean askedThisPass)
      throws AttachFailure {
    String sha = order.getSha256();
    PatchOutcome earlier = earlier(order);
    if (active != null && active.getState() == AppliedPatch.State.NOT_APPLIED) {
      return outcome(order, ResultState.PRECONDITION_FAILED, null, skipReason(active));
    }
    if (earlier != null
        && (succeeded(earlier.getState()) ? active != null || askedThisPass : active == null)) {
      return answer(order, earlier);
    }
    if (active != null) {
      if (active.getState() == AppliedPatch.State.PENDING) {
        return outcome(
            order,
            ResultState.APPLIED,
            active.getMethod(),
            "registered; its classes are patched as they load");
      }
      // Found active without our apply in this JVM (at start, or before this sidecar restarted):
      // APPLIED when it came in at start, else ALREADY_APPLIED; never redefined a second time.
      ResultState state =
          active.getMethod() == PatchMethod.STARTUP
              ? ResultState.APPLIED
              : ResultState.ALREADY_APPLIED;
      events.accept(
          order.getPatch()
              + " "
              + sha
              + " is active in pid "
              + pid
              + " ("
              + active.getMethod().displayName()
              + "): "
              + state);
      return settle(order, outcome(order, state, active.getMethod(), ""));
    }
    Path file = staged.files().get(sha);
    if (file == null && staged.unfetched().contains(sha)) {
      return null; // not tried yet: a channel hiccup is no verdict on the patch, and must not halt
      // a rollout
    }
    String refusal = staged.refusals().get(sha);
    if (refusal != null) {
      return outcome(order, ResultState.NOT_HOT_APPLICABLE, null, refusal);
    }
    if (file == null) {
      return outcome(
          order,
          ResultState.FAILED,
          null,
          staged.problems().getOrDefault(sha, "bundle not staged"));
    }
    if (!order.isHotAllowed()) {
      return outcome(
          order,
          ResultState.NOT_HOT_APPLICABLE,
          null,
          "hot apply not allowed by the" + " HotPatch strategy: staged for the next JVM start");
    }
    PatchResult result = agent.apply(pid, file, sha, order.isAllowJdkClasses());
    PatchMethod method =
        result.getState() == ResultState.APPLIED || result.getState() == ResultState.ALREADY_APPLIED
            ? PatchMethod.HOT
            : null;
    events.accept(
        "apply "
            + order.getPatch()
            + " "
            + sha
            + " in pid "
            + pid
            + ": "
            + result.getState()
            + message(result));
    return settle(order, outcome(order, result.getState(), method, result.getMessage()));
  }

  /**
   * @param keptFor another HotPatch that orders the same bundle applied, or null
   */
  private PatchOutcome revert(
      long pid, PatchOrder order, AppliedPatch active, boolean askedThisPass, String keptFor)
      throws AttachFailure {
    PatchOutcome earlier = earlier(order);
    if (active == null) {
      return earlier != null && earlier.getState() == ResultState.REVERTED
          ? answer(order, earlier)
          : outcome(order, ResultState.REVERTED, null, "not active in this JVM");
    }
    if (keptFor != null) {
      return outcome(
          order,
          ResultState.FAILED,
          null,
          "not reverted: HotPatch "
              + keptFor
              + " orders the same bundle applied; delete that HotPatch too to revert it");
    }
    if (earlier != null && (askedThisPass || !succeeded(earlier.getState()))) {
      return answer(order, earlier);
    }
    PatchResult result = agent.revert(pid, order.getSha256());
    events.accept(
        "revert "
            + order.getPatch()
            + " "
            + order.getSha256()
            + " in pid "
            + pid
            + ": "
            + result.getState()
            + message(result));
    return settle(order, outcome(order, result.getState(), null, result.getMessage()));
  }

  private PatchOutcome settle(PatchOrder order, PatchOutcome outcome) {
    settled.put(order.getSha256(), new Settled(order.getAction(), outcome));
    return outcome;
  }

  /** The agent's answer to the same action on the same bundle in this incarnation, or null. */
  private PatchOutcome earlier(PatchOrder order) {
    Settled earlier = settled.get(order.getSha256());
    return earlier != null && earlier.action() == order.getAction() ? earlier.outcome() : null;
  }

  /**
   * An earlier answer about the same bundle, told to this order's HotPatch: a live apply made for
   * another HotPatch is ALREADY_APPLIED for this one.
   */
  private static PatchOutcome answer(PatchOrder order, PatchOutcome earlier) {
    if (order.getPatch().equals(earlier.getPatch())
        && Objects.equals(order.getUid(), earlier.getUid())) {
      return earlier;
    }
    if (earlier.getState() == ResultState.APPLIED && earlier.getMethod() == PatchMethod.HOT) {
      return outcome(
          order,
          ResultState.ALREADY_APPLIED,
          PatchMethod.HOT,
          "already active in this JVM: applied for HotPatch " + earlier.getPatch());
    }
    return outcome(order, earlier.getState(), earlier.getMethod(), earlier.getMessage());
  }

  private static boolean succeeded(ResultState state) {
    return state == ResultState.APPLIED
        || state == ResultState.ALREADY_APPLIED
        || state == ResultState.REVERTED;
  }

  private static String skipReason(AppliedPatch patch) {
    for (PatchedClass patchedClass : patch.getClasses()) {
      if (!patchedClass.getMessage().isEmpty()) {
        return patchedClass.getClassName() + ": " + patchedClass.getMessage();
      }
    }
    return "the JVM runs none of the patch's classes";
  }

  private static String message(PatchResult result) {
    return result.getMessage().isEmpty() ? "" : " (" + result.getMessage() + ")";
  }

  private static PatchOutcome outcome(
      PatchOrder order, ResultState state, PatchMethod method, String message) {
    return new PatchOutcome(
        order.getPatch(), order.getUid(), order.getSha256(), state, method, message);
  }
}
