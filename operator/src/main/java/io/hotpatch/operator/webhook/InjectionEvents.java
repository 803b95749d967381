package io.hotpatch.operator.webhook;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.config.OperatorSettings;
import io.hotpatch.operator.events.KubeEvents;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Records the webhook's notes as Warning Events in the pod's namespace, after the answer is sent.
 * Anyone who reaches the webhook chooses the namespace and the note, so the notes are counted in
 * memory (bounded) and written at a bounded rate: each second, at most {@code writesPerSecond}
 * Events are created or have their count raised by the notes that arrived meanwhile.
 */
@ApplicationScoped
public class InjectionEvents {
  private static final Logger LOG = Logger.getLogger(InjectionEvents.class);
  private static final String COMPONENT = "hotpatch-webhook";
  static final int MAX_PENDING = 1000;

  /** The Event a note belongs to. */
  private record Key(String namespace, String podName, String reason, String message) {}

  private final KubernetesClient client;
  private final int writesPerSecond;

  /** Notes not yet written, by Event, oldest first. */
  private final Map<Key, Integer> pending = new LinkedHashMap<>();

  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "hotpatch-injection-events");
            thread.setDaemon(true);
            return thread;
          });
  private long dropped;

  @Inject
  public InjectionEvents(KubernetesClient client, OperatorSettings settings) {
    this(client, settings.webhook().eventWritesPerSecond());
  }

  InjectionEvents(KubernetesClient client, int writesPerSecond) {
    this.client = client;
    this.writesPerSecond = writesPerSecond;
    writer.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
  }

  @PreDestroy
  void close() {
    writer.shutdownNow();
  }

  /** Counts the note; the writer turns it into an Event within a second, or later in a flood. */
  public void record(AdmissionHandler.Notice notice) {
    if (notice.namespace() == null || notice.namespace().isEmpty()) {
      return;
    }
    Key key =
        new Key(
            notice.namespace(),
            notice.podName(),
            (notice.injected() ? Reason.HotpatchInjectedWithNote : Reason.HotpatchNotInjected)
                .name(),
            notice.message());
    synchronized (pending) {
      if (pending.size() >= MAX_PENDING && !pending.containsKey(key)) {
        if (dropped++ % MAX_PENDING == 0) {
          LOG.warnf(
              "Dropped %d webhook notes: %d Events wait to be written already (at most %d a second);"
                  + " the pods' %s annotation still says why",
              dropped, MAX_PENDING, writesPerSecond, PodInjector.NOTE_ANNOTATION);
        }
        return;
      }
      pending.merge(key, 1, Integer::sum);
    }
  }

  /** Writes the oldest pending Events, at most {@code writesPerSecond} of them. */
  void flush() {
    for (int i = 0; i < writesPerSecond; i++) {
      Map.Entry<Key, Integer> next;
      synchronized (pending) {
        Iterator<Map.Entry<Key, Integer>> oldest = pending.entrySet().iterator();
        if (!oldest.hasNext()) {
          return;
        }
        next = oldest.next();
        oldest.remove();
      }
      write(next.getKey(), next.getValue());
    }
  }

  private void write(Key key, int times) {
    String name = key.podName();
    String podName = name.isEmpty() ? "pod" : name;
    // No uid yet: the pod is still being admitted, and a generateName pod has no name either.
    ObjectReference pod =
        new ObjectReferenceBuilder()
            .withApiVersion("v1")
            .withKind("Pod")
            .withNamespace(key.namespace())
            .withName(key.podName())
            .build();
    try {
      KubeEvents.record(
          client,
          podName + (podName.endsWith("-") ? "" : ".") + "hotpatch",
          pod,
          true,
          key.reason(),
          key.message(),
          COMPONENT,
          times);
    } catch (RuntimeException e) {
      LOG.warnf(
          "Could not record event %s for pod %s/%s: %s (the pod's %s annotation says the same)",
          key.reason(),
          key.namespace(),
          key.podName(),
          e.getMessage(),
          PodInjector.NOTE_ANNOTATION);
    }
  }
}
