package io.hotpatch.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.rollout.RolloutEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
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
    String now = Instant.now().toString();
    Event kubeEvent = new EventBuilder()
        .withNewMetadata()
        .withName(hotPatch.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
        .withNamespace(hotPatch.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(hotPatch.getApiVersion())
            .withKind(hotPatch.getKind())
            .withName(hotPatch.getMetadata().getName())
            .withNamespace(hotPatch.getMetadata().getNamespace())
            .withUid(hotPatch.getMetadata().getUid())
            .build())
        .withType(event.warning() ? "Warning" : "Normal")
        .withReason(event.reason())
        .withMessage(event.message())
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(hotPatch.getMetadata().getNamespace()).resource(kubeEvent).create();
    } catch (RuntimeException e) {
      // An event is a courtesy: losing one must not fail the reconcile that status already records.
      LOG.warnf("Could not record event %s on HotPatch %s/%s: %s", event.reason(),
          hotPatch.getMetadata().getNamespace(), hotPatch.getMetadata().getName(), e.getMessage());
    }
  }
}
