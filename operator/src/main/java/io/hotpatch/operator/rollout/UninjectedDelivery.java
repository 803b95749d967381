package io.hotpatch.operator.rollout;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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

  private final KubernetesClient client;
  private final WebhookSettings webhook;
  private final OperatorSettings settings;

  public UninjectedDelivery(
      KubernetesClient client, WebhookSettings webhook, OperatorSettings settings) {
    this.client = client;
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
    List<String> added = new ArrayList<>();
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
        if (addEphemeral(step, target, entry, reported)) {
          added.add(target.name());
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

  /** Adds the ephemeral container to the pod unless it has one; whether this call added it. */
  private boolean addEphemeral(
      RolloutStep step, Target target, PodPatchStatus entry, Set<String> reported) {
    EphemeralContainerTemplate.Plan plan =
        new EphemeralContainerTemplate(webhook.current())
            .plan(target.pod(), step.hotPatch.getSpec().getContainerName());
    if (plan.refusal() != null) {
      entry.setDelivery(NONE);
      entry.setMessage("no ephemeral container: " + plan.refusal());
      if (reported.add(plan.refusal())) {
        step.problems.add(
            new Problem(
                Reason.EphemeralDeliveryRefused,
                "Pod " + target.name() + " gets no ephemeral container: " + plan.refusal()));
      }
      return false;
    }
    String namespace = target.ref().namespace();
    // Read afresh: a list or cache may predate an ephemeral container added by an earlier
    // reconcile.
    Pod latest = client.pods().inNamespace(namespace).withName(target.name()).get();
    if (latest == null || !target.uid().equals(latest.getMetadata().getUid())) {
      return false; // gone or replaced: the next reconcile sees the new pod
    }
    entry.setDelivery(EPHEMERAL);
    if (EphemeralContainerTemplate.hasEphemeral(latest)) {
      return false;
    }
    Pod patch =
        new PodBuilder().withNewSpec().withEphemeralContainers(plan.container()).endSpec().build();
    try {
      // A strategic merge keyed by the container's name: a second one, from a replica that raced
      // us, adds nothing.
      client
          .pods()
          .inNamespace(namespace)
          .withName(target.name())
          .ephemeralContainers()
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    } catch (KubernetesClientException e) {
      String why =
          "adding the ephemeral container failed ("
              + e.getCode()
              + " "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + "): grant the operator patch on"
              + " pods/ephemeralcontainers (chart RBAC) and allow it in the namespace's Pod Security level";
      entry.setDelivery(NONE);
      entry.setMessage(why);
      if (reported.add(why)) {
        step.problems.add(
            new Problem(Reason.EphemeralDeliveryRefused, "Pod " + target.name() + ": " + why));
      }
      return false;
    }
    entry.setMessage(
        "ephemeral container "
            + EphemeralContainerTemplate.NAME
            + " added: waiting for it to report");
    return true;
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
