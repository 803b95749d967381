package io.hotpatch.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.events.KubeEvents;
import io.hotpatch.operator.rollout.RolloutEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events on a HotPatch, so that `kubectl describe hp` tells the story. One
 * thread writes them in order, after the reconcile that made them: a busy API server delays the
 * Events, not the status and the next pass.
 */
@ApplicationScoped
public class HotPatchEvents {
  private static final Logger LOG = Logger.getLogger(HotPatchEvents.class);
  static final String COMPONENT = "hotpatch-operator";
  static final int MAX_PENDING = 1000;

  private final KubernetesClient client;
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor writer =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(MAX_PENDING),
          r -> {
            Thread thread = new Thread(r, "hotpatch-events");
            thread.setDaemon(true);
            return thread;
          },
          (task, pool) -> {
            // Stopping: the log already holds the line this Event would have said.
            if (!pool.isShutdown() && dropped.getAndIncrement() % MAX_PENDING == 0) {
              LOG.warnf(
                  "Dropped %d HotPatch Events: %d wait to be written already; the log above keeps"
                      + " each of them",
                  dropped.get(), MAX_PENDING);
            }
          });

  public HotPatchEvents(KubernetesClient client) {
    this.client = client;
  }

  /** Writes what is pending, for a while, before the operator stops. */
  @PreDestroy
  void close() throws InterruptedException {
    writer.shutdown();
    writer.awaitTermination(5, TimeUnit.SECONDS);
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
    writer.execute(() -> write(involved, event));
  }

  private void write(ObjectReference involved, RolloutEvent event) {
    try {
      KubeEvents.record(
          client,
          involved.getName(),
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
          event.reason(), involved.getNamespace(), involved.getName(), e.getMessage());
    }
  }
}
