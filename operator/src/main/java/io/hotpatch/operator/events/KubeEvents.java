package io.hotpatch.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.UUID;

/** Creates core/v1 Events, the record `kubectl describe` shows; shared by the reconciler and the webhook. */
public final class KubeEvents {
  private KubeEvents() {}

  /**
   * Creates one Event about {@code involved}, named after {@code namePrefix} plus a random suffix.
   * Throws what the API server throws; callers decide how much a lost Event matters.
   */
  public static void create(KubernetesClient client, String namePrefix, ObjectReference involved,
      boolean warning, String reason, String message, String component) {
    String now = Instant.now().toString();
    Event event = new EventBuilder()
        .withNewMetadata()
        .withName(namePrefix + "." + UUID.randomUUID().toString().substring(0, 13))
        .withNamespace(involved.getNamespace())
        .endMetadata()
        .withInvolvedObject(involved)
        .withType(warning ? "Warning" : "Normal")
        .withReason(reason)
        .withMessage(message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(component).endSource()
        .withReportingComponent(component)
        .build();
    client.v1().events().inNamespace(involved.getNamespace()).resource(event).create();
  }
}
