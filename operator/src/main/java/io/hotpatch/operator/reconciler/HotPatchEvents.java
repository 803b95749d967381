package io.hotpatch.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.events.KubeEvents;
import io.hotpatch.operator.rollout.RolloutEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events on a HotPatch, so that `kubectl describe hp` tells the story. One
 * thread writes them in order, after the reconcile that made them: a busy API server delays the
 * Events, not the status and the next pass. No namespace holds more than a tenth of the queue, so
 * one namespace's flood of Events cannot crowd out another's.
 */
@ApplicationScoped
public class HotPatchEvents {
  private static final Logger LOG = Logger.getLogger(HotPatchEvents.class);
  static final String COMPONENT = "hotpatch-operator";
  static final int MAX_PENDING = 1000;
  static final int MAX_PENDING_PER_NAMESPACE = MAX_PENDING / 10;

  private final KubernetesClient client;
  private final AtomicLong dropped = new AtomicLong();
  private final Map<String, AtomicInteger> pendingByNamespace = new ConcurrentHashMap<>();
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
            ((PendingEvent) task).pending.decrementAndGet();
            // Stopping: the log already holds the line this Event would have said.
            if (!pool.isShutdown()) {
              drop(MAX_PENDING + " wait to be written already");
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
    AtomicInteger pending =
        pendingByNamespace.computeIfAbsent(involved.getNamespace(), key -> new AtomicInteger());
    if (pending.incrementAndGet() > MAX_PENDING_PER_NAMESPACE) {
      pending.decrementAndGet();
      drop(
          MAX_PENDING_PER_NAMESPACE
              + " of namespace "
              + involved.getNamespace()
              + " wait to be written already");
      return;
    }
    writer.execute(new PendingEvent(pending, () -> write(involved, event)));
  }

  private void drop(String why) {
    if (dropped.getAndIncrement() % MAX_PENDING == 0) {
      LOG.warnf(
          "Dropped %d HotPatch Events so far (now: %s); the log above keeps each of them",
          dropped.get(), why);
    }
  }

  /** An Event waiting for the writer, counted against its namespace until written or dropped. */
  private record PendingEvent(AtomicInteger pending, Runnable write) implements Runnable {
    @Override
    public void run() {
      try {
        write.run();
      } finally {
        pending.decrementAndGet();
      }
    }
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
