package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchedClass;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.sidecar.AttachFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Converging a JVM: never a second redefinition, the method from the agent, failures settled. */
class ConvergerTest {
  static final String SHA = "a".repeat(64);
  static final long PID = 42;

  final TestingAgent agent = new TestingAgent();
  final List<String> events = new ArrayList<>();
  final Converger converger = new Converger(agent, events::add);
  final BundleStore.Staged staged =
      new BundleStore.Staged(
          Map.of(SHA, Path.of("/hotpatch/bundles/0001-" + SHA + ".jar")),
          Map.of(),
          Map.of(),
          Set.of());

  @Test
  void appliesAMissingPatchHotOnceAndReportsTheJvm() {
    DesiredState desired = desired("1", order(PatchOrder.Action.APPLY, true));

    PodReport first = converger.converge(PID, desired, staged).report();
    PodReport second = converger.converge(PID, desired, staged).report();

    assertThat(outcomes(first))
        .containsExactly(tuple(ResultState.APPLIED, PatchMethod.HOT, "answer APPLIED"));
    assertThat(outcomes(second)).isEqualTo(outcomes(first));
    assertThat(agent.calls)
        .containsExactly("status 42", "apply 42 0001-" + SHA + ".jar", "status 42");
    assertThat(first.getPid()).isEqualTo(PID);
    assertThat(first.getJvmVersion()).isEqualTo("17.0.15");
    assertThat(first.getJvmStartMillis()).isEqualTo(1_000);
    assertThat(first.isAgentLoadedAtStartup()).isTrue();
    assertThat(events)
        .singleElement()
        .asString()
        .startsWith("apply ns/fix " + SHA + " in pid 42: APPLIED");
  }

  @Test
  void aBundleTheChannelDidNotDeliverYetGetsNoOutcomeRatherThanAFailure() {
    BundleStore.Staged unfetched =
        new BundleStore.Staged(
            Map.of(),
            Map.of(SHA, "GET bundle answered HTTP 503: this replica is not the leader"),
            Map.of(),
            Set.of(SHA));

    Converger.Pass pass =
        converger.converge(PID, desired("1", order(PatchOrder.Action.APPLY, true)), unfetched);

    assertThat(pass.report().getOutcomes()).isEmpty(); // a FAILED outcome would halt the rollout
    assertThat(pass.retry()).isTrue();
    assertThat(agent.calls).containsExactly("status 42");
  }

  @Test
  void aPatchActiveBeforeThisSidecarStartedIsNotAppliedAgain() {
    agent.activate(SHA, PatchMethod.HOT, PatchedClass.State.PATCHED);

    PodReport report =
        converger
            .converge(PID, desired("1", order(PatchOrder.Action.APPLY, true)), staged)
            .report();

    assertThat(outcomes(report))
        .containsExactly(tuple(ResultState.ALREADY_APPLIED, PatchMethod.HOT, ""));
    assertThat(agent.calls).containsExactly("status 42");
  }

  @Test
  void aPatchAppliedAtJvmStartIsReportedAsStartup() {
    agent.activate(SHA, PatchMethod.STARTUP, PatchedClass.State.PATCHED);

    PodReport report =
        converger
            .converge(PID, desired("1", order(PatchOrder.Action.APPLY, true)), staged)
            .report();

    assertThat(outcomes(report))
        .containsExactly(tuple(ResultState.APPLIED, PatchMethod.STARTUP, ""));
    assertThat(agent.calls).containsExactly("status 42");
  }

  @Test
  void aStartupPatchThatSkippedItsClassesIsAPreconditionFailure() {
    agent.activate(SHA, PatchMethod.STARTUP, PatchedClass.State.SKIPPED);

    PodReport report =
        converger
            .converge(PID, desired("1", order(PatchOrder.Action.APPLY, true)), staged)
            .report();

    assertThat(outcomes(report))
        .containsExactly(
            tuple(
                ResultState.PRECONDITION_FAILED,
                null,
                "shop.PriceCalculator: not the version the patch was built for"));
  }

  @Test
  void aPatchNotAllowedHotWaitsForTheNextJvmStart() {
    PodReport report =
        converger
            .converge(PID, desired("1", order(PatchOrder.Action.APPLY, false)), staged)
            .report();

    assertThat(report.getOutcomes())
        .singleElement()
        .satisfies(
            outcome -> {
              assertThat(outcome.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
              assertThat(outcome.getMessage()).contains("staged for the next JVM start");
            });
    assertThat(agent.calls).containsExactly("status 42");
  }

  @Test
  void aBundleThatWasNotStagedFailsWithTheReasonAndIsNotApplied() {
    BundleStore.Staged refused =
        new BundleStore.Staged(
            Map.of(), Map.of(SHA, "bundle refused: sha256 mismatch"), Map.of(), Set.of());

    Converger.Pass pass =
        converger.converge(PID, desired("1", order(PatchOrder.Action.APPLY, true)), refused);

    assertThat(outcomes(pass.report()))
        .containsExactly(tuple(ResultState.FAILED, null, "bundle refused: sha256 mismatch"));
    assertThat(pass.retry()).isFalse();
    assertThat(agent.calls).containsExactly("status 42");
  }

  @Test
  void aBundleOfClassesItsOrderDoesNotAllowIsNotHotApplicableWithTheReason() {
    BundleStore.Staged jdk =
        new BundleStore.Staged(
            Map.of(),
            Map.of(),
            Map.of(
                SHA,
                "bundle patches java.lang.String, a class of the JDK; not applied, not staged"),
            Set.of());

    Converger.Pass pass =
        converger.converge(PID, desired("1", order(PatchOrder.Action.APPLY, true)), jdk);

    assertThat(outcomes(pass.report()))
        .containsExactly(
            tuple(
                ResultState.NOT_HOT_APPLICABLE,
                null,
                "bundle patches java.lang.String, a class of the JDK; not applied, not staged"));
    assertThat(agent.calls).containsExactly("status 42");
  }

  @Test
  void theJdkClassesOptInReachesTheAgent() {
    PatchOrder order = order(PatchOrder.Action.APPLY, true);
    order.setAllowJdkClasses(true);

    converger.converge(PID, desired("1", order), staged);

    assertThat(agent.calls).contains("apply 42 0001-" + SHA + ".jar jdk");
  }

  @Test
  void aRefusedApplyIsAskedAgainOnlyForANewRevisionOrANewJvm() {
    agent.applyAnswer = ResultState.NOT_HOT_APPLICABLE;
    PatchOrder order = order(PatchOrder.Action.APPLY, true);

    converger.converge(PID, desired("1", order), staged);
    converger.converge(PID, desired("1", order), staged);
    assertThat(agent.calls).filteredOn(call -> call.startsWith("apply")).hasSize(1);

    converger.converge(PID, desired("2", order), staged);
    assertThat(agent.calls).filteredOn(call -> call.startsWith("apply")).hasSize(2);

    agent.applyAnswer = ResultState.APPLIED;
    agent.startMillis = 2_000;
    PodReport restarted = converger.converge(PID, desired("2", order), staged).report();
    assertThat(outcomes(restarted))
        .containsExactly(tuple(ResultState.APPLIED, PatchMethod.HOT, "answer APPLIED"));
    assertThat(agent.calls).filteredOn(call -> call.startsWith("apply")).hasSize(3);
  }

  @Test
  void revertsAnActivePatchAndCountsAnInactiveOneAsReverted() {
    agent.activate(SHA, PatchMethod.HOT, PatchedClass.State.PATCHED);
    DesiredState revert = desired("3", order(PatchOrder.Action.REVERT, true));

    PodReport first = converger.converge(PID, revert, staged).report();
    PodReport second = converger.converge(PID, revert, staged).report();

    assertThat(outcomes(first)).containsExactly(tuple(ResultState.REVERTED, null, "reverted"));
    assertThat(outcomes(second)).isEqualTo(outcomes(first));
    assertThat(agent.calls).containsExactly("status 42", "revert 42 " + SHA, "status 42");
  }

  @Test
  void aHotPatchCreatedAfterTheOneThatAppliedTheBundleHearsAlreadyAppliedUnderItsOwnName() {
    converger.converge(PID, desired("1", order("ns/hp-first", PatchOrder.Action.APPLY)), staged);

    PodReport report =
        converger
            .converge(PID, desired("2", order("ns/hp-second", PatchOrder.Action.APPLY)), staged)
            .report();

    assertThat(report.getOutcomes())
        .singleElement()
        .satisfies(
            outcome -> {
              assertThat(outcome.getPatch()).isEqualTo("ns/hp-second");
              assertThat(outcome.getUid()).isEqualTo("uid-of-ns/hp-second");
              assertThat(outcome.getState()).isEqualTo(ResultState.ALREADY_APPLIED);
              assertThat(outcome.getMethod()).isEqualTo(PatchMethod.HOT);
              assertThat(outcome.getMessage()).contains("applied for HotPatch ns/hp-first");
            });
    assertThat(agent.calls).filteredOn(call -> call.startsWith("apply")).hasSize(1);
  }

  @Test
  void twoHotPatchesSharingABundleAreBothAnsweredAndTheJvmIsRedefinedOnce() {
    DesiredState both =
        desired(
            "1", order("ns/a", PatchOrder.Action.APPLY), order("ns/b", PatchOrder.Action.APPLY));

    PodReport first = converger.converge(PID, both, staged).report();
    PodReport second = converger.converge(PID, both, staged).report();

    assertThat(first.getOutcomes())
        .extracting(PatchOutcome::getPatch, PatchOutcome::getState)
        .containsExactly(
            tuple("ns/a", ResultState.APPLIED), tuple("ns/b", ResultState.ALREADY_APPLIED));
    assertThat(second.getOutcomes())
        .extracting(PatchOutcome::getPatch, PatchOutcome::getState)
        .containsExactly(
            tuple("ns/a", ResultState.APPLIED), tuple("ns/b", ResultState.ALREADY_APPLIED));
    assertThat(agent.calls).filteredOn(call -> call.startsWith("apply")).hasSize(1);
  }

  @Test
  void aBundleAnotherHotPatchStillWantsIsNotReverted() {
    agent.activate(SHA, PatchMethod.HOT, PatchedClass.State.PATCHED);
    DesiredState desired =
        desired(
            "1", order("ns/a", PatchOrder.Action.REVERT), order("ns/b", PatchOrder.Action.APPLY));

    PodReport report = converger.converge(PID, desired, staged).report();

    assertThat(report.getOutcomes())
        .extracting(PatchOutcome::getPatch, PatchOutcome::getState)
        .containsExactly(
            tuple("ns/a", ResultState.FAILED), tuple("ns/b", ResultState.ALREADY_APPLIED));
    assertThat(report.getOutcomes().get(0).getMessage())
        .isEqualTo(
            "not reverted: HotPatch ns/b orders the same bundle applied; delete that HotPatch too to revert it");
    assertThat(agent.calls).containsExactly("status 42");
  }

  @Test
  void anAttachFailureBecomesThePodMessageAndIsRetried() {
    agent.attachFailure =
        new AttachFailure(
            AttachFailure.Reason.ATTACH_DISABLED,
            "target 42 runs with" + " -XX:+DisableAttachMechanism: restart it without that flag");

    Converger.Pass pass =
        converger.converge(PID, desired("1", order(PatchOrder.Action.APPLY, true)), staged);

    assertThat(pass.retry()).isTrue();
    assertThat(pass.report().getMessage()).isEqualTo(agent.attachFailure.getMessage());
    assertThat(pass.report().getOutcomes()).isEmpty();
  }

  static PatchOrder order(PatchOrder.Action action, boolean hotAllowed) {
    return new PatchOrder("ns/fix", "uid-of-ns/fix", SHA, action, hotAllowed);
  }

  static PatchOrder order(String patch, PatchOrder.Action action) {
    return new PatchOrder(patch, "uid-of-" + patch, SHA, action, true);
  }

  static DesiredState desired(String revision, PatchOrder... orders) {
    return new DesiredState(revision, List.of(orders));
  }

  static List<Tuple> outcomes(PodReport report) {
    return report.getOutcomes().stream()
        .map((PatchOutcome o) -> tuple(o.getState(), o.getMethod(), o.getMessage()))
        .toList();
  }
}
