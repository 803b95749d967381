package io.hotpatch.operator.reconciler;

import io.hotpatch.core.ResultState;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.OnDeletePolicy;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.channel.DesiredPatch;
import io.hotpatch.operator.channel.PatchKey;
import io.hotpatch.operator.channel.SidecarGateway;
import io.hotpatch.operator.config.OperatorSettings;
import io.hotpatch.operator.events.NameList;
import io.hotpatch.operator.rollout.PodLedger;
import io.hotpatch.operator.rollout.PodStates;
import io.hotpatch.operator.rollout.Problem;
import io.hotpatch.operator.rollout.Rollout;
import io.hotpatch.operator.rollout.RolloutEvent;
import io.hotpatch.operator.rollout.Target;
import io.hotpatch.operator.rollout.TargetSelector;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs a HotPatch's onDelete policy before its finalizer goes: Keep the patch, or Revert it first.
 */
@ApplicationScoped
public class DeletionHandler {
  private final TargetSelector selector;
  private final SidecarGateway gateway;
  private final HotPatchEvents events;
  private final OperatorSettings settings;
  private final PodLedger ledger;

  public DeletionHandler(
      TargetSelector selector,
      SidecarGateway gateway,
      HotPatchEvents events,
      OperatorSettings settings,
      PodLedger ledger) {
    this.selector = selector;
    this.gateway = gateway;
    this.events = events;
    this.settings = settings;
    this.ledger = ledger;
  }

  public DeleteControl cleanup(HotPatch hotPatch) {
    PatchKey key = Rollout.keyOf(hotPatch);
    List<PodPatchStatus> patched =
        hotPatch.getStatus() == null
            ? List.of()
            : ledger.entries(hotPatch).stream().filter(PodStates::patched).toList();
    Optional<Problem> invalid = SpecValidator.validate(hotPatch.getSpec());
    if (invalid.isPresent()) {
      gateway.withdraw(key);
      ledger.forget(key);
      events.record(
          hotPatch,
          RolloutEvent.warning(
              Reason.PatchKept,
              "HotPatch deleted with an invalid spec ("
                  + invalid.get().message()
                  + "), so its pods cannot be found to revert: "
                  + patched.size()
                  + " pods keep the patch; restart them to drop it"));
      return DeleteControl.defaultDelete();
    }
    if (hotPatch.getSpec().getOnDelete() != OnDeletePolicy.Revert || patched.isEmpty()) {
      gateway.withdraw(key);
      ledger.forget(key);
      events.record(
          hotPatch,
          RolloutEvent.normal(
              Reason.PatchKept,
              "HotPatch deleted with onDelete "
                  + policy(hotPatch)
                  + ": "
                  + patched.size()
                  + " pods keep the patch"));
      return DeleteControl.defaultDelete();
    }
    String sha256 = hotPatch.getStatus().getBundleSha256();
    Map<String, Target> alive =
        selector.select(hotPatch).stream()
            .collect(Collectors.toMap(Target::uid, Function.identity()));
    List<String> waiting = new ArrayList<>();
    for (PodPatchStatus pod : patched) {
      Target target = alive.get(pod.getUid());
      if (target == null) {
        continue; // the pod is gone, and its JVM with it
      }
      gateway.publish(
          target.ref(),
          new DesiredPatch(
              key,
              hotPatch.getMetadata().getUid(),
              sha256,
              null,
              DesiredPatch.Action.REVERT,
              true));
      boolean reverted =
          gateway
              .report(target.ref(), key)
              .filter(r -> sha256.equals(r.sha256()) && r.state() == ResultState.REVERTED)
              .isPresent();
      if (!reverted) {
        waiting.add(pod.getName());
      }
    }
    if (waiting.isEmpty()) {
      gateway.withdraw(key);
      ledger.forget(key);
      events.record(
          hotPatch,
          RolloutEvent.normal(
              Reason.PatchReverted,
              "HotPatch deleted with onDelete Revert: the patch was reverted in "
                  + patched.size()
                  + " pods"));
      return DeleteControl.defaultDelete();
    }
    Instant deadline =
        OffsetDateTime.parse(hotPatch.getMetadata().getDeletionTimestamp())
            .toInstant()
            .plus(settings.operator().revertTimeout());
    if (Instant.now().isAfter(deadline)) {
      gateway.withdraw(key);
      ledger.forget(key);
      events.record(
          hotPatch,
          RolloutEvent.warning(
              Reason.RevertTimedOut,
              waiting.size()
                  + " pods ("
                  + NameList.brief(waiting)
                  + ") did not report the revert within "
                  + settings.operator().revertTimeout().toSeconds()
                  + "s and may still run"
                  + " the patch: restart them to be sure"));
      return DeleteControl.defaultDelete();
    }
    return DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(settings.operator().pollInterval().toMillis());
  }

  private static OnDeletePolicy policy(HotPatch hotPatch) {
    return hotPatch.getSpec().getOnDelete() == null
        ? OnDeletePolicy.Keep
        : hotPatch.getSpec().getOnDelete();
  }
}
