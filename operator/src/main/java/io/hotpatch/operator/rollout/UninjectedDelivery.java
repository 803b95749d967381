package io.hotpatch.operator.rollout;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.operator.api.v1alpha1.DeliveryStrategy;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.api.v1alpha1.RolloutMode;
import io.hotpatch.operator.api.v1alpha1.UninjectedPodDelivery;
import io.hotpatch.operator.config.OperatorSettings;
import io.hotpatch.operator.events.NameList;
import io.hotpatch.operator.webhook.EphemeralContainerTemplate;
import io.hotpatch.operator.webhook.WebhookSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides how each admitted pod gets the patch: the injected sidecar, else what the HotPatch (or
 * the operator's default) asks for pods without it: the ephemeral container {@code hotpatch}, added
 * once per pod and never again (it cannot be removed), a roll of the workload, or nothing. Records
 * the choice in the pod's status entry.
 */
@ApplicationScoped
public class UninjectedDelivery {
  public static final String SIDECAR = "Sidecar";
  public static final String EPHEMERAL = "Ephemeral";
  public static final String RESTART = "Restart";
  public static final String NONE = "None";

  private final EphemeralContainerAdder adder;
  private final WebhookSettings webhook;
  private final OperatorSettings settings;

  public UninjectedDelivery(
      EphemeralContainerAdder adder, WebhookSettings webhook, OperatorSettings settings) {
    this.adder = adder;
    this.webhook = webhook;
    this.settings = settings;
  }

  public static UninjectedPodDelivery choice(HotPatch hotPatch, UninjectedPodDelivery fallback) {
    DeliveryStrategy delivery = hotPatch.getSpec().getDelivery();
    return delivery == null || delivery.getUninjectedPods() == null
        ? fallback
        : delivery.getUninjectedPods();
  }

  void deliver(RolloutStep step) {
    UninjectedPodDelivery choice = choice(step.hotPatch, settings.operator().uninjectedPods());
    Set<String> reported = new LinkedHashSet<>();
    List<Target> ephemeral = new ArrayList<>();
    List<EphemeralContainerAdder.Request> requests = new ArrayList<>();
    for (Target target : step.targets) {
      PodPatchStatus entry = step.entry(target);
      if (entry == null || PodStates.patched(entry)) {
        continue;
      }
      Pod pod = target.pod();
      if (EphemeralContainerTemplate.hasSidecar(pod)) {
        entry.setDelivery(SIDECAR);
      } else if (EphemeralContainerTemplate.hasEphemeral(pod)) {
        entry.setDelivery(
            EPHEMERAL); // added before, by this HotPatch or another, maybe by an earlier operator
      } else if (step.mode == RolloutMode.RestartOnly) {
        entry.setDelivery(RESTART); // a restart is the only delivery this mode allows
      } else if (choice == UninjectedPodDelivery.EphemeralContainer) {
        EphemeralContainerTemplate.Plan plan =
            new EphemeralContainerTemplate(webhook.current())
                .plan(pod, step.hotPatch.getSpec().getContainerName());
        if (plan.refusal() != null) {
          refuse(step, target, entry, "no ephemeral container: " + plan.refusal(), reported);
        } else {
          ephemeral.add(target);
          requests.add(
              new EphemeralContainerAdder.Request(
                  target.ref().namespace(), target.name(), target.uid(), plan.container()));
        }
      } else if (choice == UninjectedPodDelivery.RestartWorkload
          && !target.startedForPatch()
          && step.mode != RolloutMode.HotOnly) {
        entry.setDelivery(RESTART); // the restart fallback rolls it (RolloutStep.needsRestart)
      } else {
        entry.setDelivery(NONE);
        if (entry.getState()
            == null) { // whatever answers for it (a sidecar by another name) has the last word
          entry.setMessage(skipped(choice, target, step.mode));
        }
      }
    }
    List<String> added = new ArrayList<>();
    List<EphemeralContainerAdder.Outcome> outcomes =
        requests.isEmpty() ? List.of() : adder.addAll(requests);
    for (int i = 0; i < outcomes.size(); i++) {
      Target target = ephemeral.get(i);
      PodPatchStatus entry = step.entry(target);
      EphemeralContainerAdder.Outcome outcome = outcomes.get(i);
      switch (outcome.result()) {
        case GONE -> {} // the next reconcile sees the new pod, if any
        case PRESENT -> entry.setDelivery(EPHEMERAL);
        case ADDED -> {
          entry.setDelivery(EPHEMERAL);
          entry.setMessage(
              "ephemeral container "
                  + EphemeralContainerTemplate.NAME
                  + " added: waiting for it to report");
          added.add(target.name());
        }
        case REFUSED ->
            refuse(
                step,
                target,
                entry,
                "adding the ephemeral container failed ("
                    + outcome.failure()
                    + "): grant the operator patch on pods/ephemeralcontainers (chart RBAC) and"
                    + " allow it in the namespace's Pod Security level",
                reported);
      }
    }
    if (!added.isEmpty()) {
      // One Event per pass, not per pod: a wave of many such pods says so once.
      step.events.add(
          RolloutEvent.normal(
              Reason.EphemeralContainerAdded,
              "Added ephemeral container "
                  + EphemeralContainerTemplate.NAME
                  + (added.size() == 1
                      ? " to pod " + added.get(0) + " (it had no sidecar)"
                      : " to "
                          + added.size()
                          + " pods (they had no sidecar): "
                          + NameList.brief(added))));
    }
  }

  /**
   * Marks the pod as not reached, with why; a wave says each distinct why once among its problems.
   */
  private static void refuse(
      RolloutStep step, Target target, PodPatchStatus entry, String why, Set<String> reported) {
    entry.setDelivery(NONE);
    entry.setMessage(why);
    if (reported.add(why)) {
      step.problems.add(
          new Problem(Reason.EphemeralDeliveryRefused, "Pod " + target.name() + ": " + why));
    }
  }

  private static String skipped(UninjectedPodDelivery choice, Target target, RolloutMode mode) {
    if (choice == UninjectedPodDelivery.Skip) {
      return "no sidecar, and spec.delivery.uninjectedPods is Skip: not patched; set it to EphemeralContainer or"
          + " RestartWorkload to reach this pod";
    }
    if (mode == RolloutMode.HotOnly) {
      return "no sidecar, and mode HotOnly forbids the restart RestartWorkload needs: set"
          + " spec.delivery.uninjectedPods to EphemeralContainer, or strategy.mode to Auto";
    }
    return "started by the restart fallback but still has no sidecar: label its namespace"
        + " hotpatch.io/injection=enabled and its pods hotpatch.io/inject=\"true\" (then restart it), or set"
        + " spec.delivery.uninjectedPods to EphemeralContainer";
  }
}
