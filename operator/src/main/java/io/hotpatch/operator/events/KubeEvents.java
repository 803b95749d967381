package io.hotpatch.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.hotpatch.core.Sha256;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Records core/v1 Events, the record `kubectl describe` shows; shared by the reconciler and the
 * webhook. The same happening again raises the count of its Event instead of adding one (as Flink's
 * operator does): the name is derived from what the Event says.
 */
public final class KubeEvents {
  private static final int MAX_PREFIX = 200;

  private KubeEvents() {}

  /**
   * Records that something happened {@code times} times about {@code involved}: the Event with the
   * same object, type, reason and message gets its count raised, else a new one is created. Throws
   * what the API server throws; callers decide how much a lost Event matters.
   */
  public static void record(
      KubernetesClient client,
      String namePrefix,
      ObjectReference involved,
      boolean warning,
      String reason,
      String message,
      String component,
      int times) {
    String type = warning ? "Warning" : "Normal";
    String name = name(namePrefix, involved, type, reason, message, component);
    String now = Instant.now().toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(involved.getNamespace())
            .endMetadata()
            .withInvolvedObject(involved)
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(times)
            .withNewSource()
            .withComponent(component)
            .endSource()
            .withReportingComponent(component)
            .build();
    try {
      // Create first: most happenings are new, and then one request is all it costs.
      client.v1().events().inNamespace(involved.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      raise(client, involved.getNamespace(), name, times);
    }
  }

  /** The Event's name: the prefix, then a digest of what identifies the happening. */
  static String name(
      String namePrefix,
      ObjectReference involved,
      String type,
      String reason,
      String message,
      String component) {
    String identity =
        String.join(
            "\n",
            involved.getKind(),
            involved.getNamespace(),
            involved.getName(),
            String.valueOf(involved.getUid()),
            type,
            reason,
            message,
            component);
    String prefix = namePrefix.toLowerCase(Locale.ROOT);
    prefix = prefix.substring(0, Math.min(MAX_PREFIX, prefix.length()));
    return prefix
        + (prefix.endsWith(".") ? "" : ".")
        + Sha256.hex(identity.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  private static void raise(KubernetesClient client, String namespace, String name, int times) {
    String now = Instant.now().toString();
    client
        .v1()
        .events()
        .inNamespace(namespace)
        .withName(name)
        .edit(
            e ->
                new EventBuilder(e)
                    .withCount((e.getCount() == null ? 1 : e.getCount()) + times)
                    .withLastTimestamp(now)
                    .build());
  }
}
