package io.hotpatch.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.events.KubeEvents;
import io.hotpatch.operator.rollout.RolloutEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Records Kubernetes Events on a HotPatch, so that `kubectl describe hp` tells the story. */
@ApplicationScoped
public class HotPatchEvents {
  private static final Logger LOG = Logger.getLogger(HotPatchEvents.class);
  static final String COMPONENT = "hotpatch-operator";

  private final KubernetesClient client;

  public HotPatchEvents(KubernetesClient client) {
    this.client = client;
  }

  public void record(HotPatch hotPatch, RolloutEvent event) {
    // The log tells the same story as the Events, for clusters whose Events expire after an hour.
    LOG.logf(
        event.warning() ? Logger.Level.WARN : Logger.Level.INFO,
        "HotPatch %s/%s: %s: %s",
        hotPatch.getMetadata().getNamespace(),
        hotPatch.getMetadata().getName(),
        event.reason(),
        event.message());
    ObjectReference involved =
        new ObjectReferenceBuilder()
            .withApiVersion(hotPatch.getApiVersion())
            .withKind(hotPatch.getKind())
            .withName(hotPatch.getMetadata().getName())
            .withNamespace(hotPatch.getMetadata().getNamespace())
            .withUid(hotPatch.getMetadata().getUid())
            .build();
    try {
      KubeEvents.record(
          client,
          hotPatch.getMetadata().getName(),
          involved,
          event.warning(),
          event.reason(),
          event.message(),
          COMPONENT,
          1);
    } catch (RuntimeException e) {
      // An event is a courtesy: losing one must not fail the reconcile that status already records.
      LOG.warnf(
          "Could not record event %s on HotPatch %s/%s: %s",
          event.reason(),
          hotPatch.getMetadata().getNamespace(),
          hotPatch.getMetadata().getName(),
          e.getMessage());
    }
  }
}
