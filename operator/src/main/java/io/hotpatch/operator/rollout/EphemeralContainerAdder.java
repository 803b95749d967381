package io.hotpatch.operator.rollout;

import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.hotpatch.operator.webhook.EphemeralContainerTemplate;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Adds the ephemeral container to the pods of a wave, a GET and a PATCH per pod, with the calls of
 * at most {@link #IN_FLIGHT} pods of one pass at a time: a wave of a thousand pods without the
 * sidecar is bounded by the API server's write latency divided by that, not by its sum.
 */
@ApplicationScoped
public class EphemeralContainerAdder {
  /** Pods of one pass whose calls run at once. */
  public static final int IN_FLIGHT = 8;

  /**
   * Threads for all passes together: a HotPatch with a wave of ten thousand such pods holds {@link
   * #IN_FLIGHT} of them, and other HotPatches' passes go on beside it.
   */
  private static final int THREADS = 4 * IN_FLIGHT;

  /** One pod that should get {@code container}. */
  public record Request(String namespace, String pod, String uid, EphemeralContainer container) {}

  /** What became of one request. */
  public enum Result {
    /** This call added the container. */
    ADDED,
    /** The pod already had it (added earlier, by this HotPatch, another or another operator). */
    PRESENT,
    /** The pod is gone or was replaced by another of the same name: the next pass sees that. */
    GONE,
    /** The API server refused the PATCH; {@link Outcome#failure()} says why. */
    REFUSED
  }

  /** A request's result, and for a refusal the API server's status code and first line. */
  public record Outcome(Result result, String failure) {}

  private final KubernetesClient client;
  private final ExecutorService calls;

  public EphemeralContainerAdder(KubernetesClient client) {
    this.client = client;
    AtomicInteger threads = new AtomicInteger();
    this.calls =
        Executors.newFixedThreadPool(
            THREADS,
            task -> {
              Thread thread = new Thread(task, "hotpatch-ephemeral-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The outcome of each request, in order; a failed GET fails the whole call, as a pass would. */
  public List<Outcome> addAll(List<Request> requests) {
    Semaphore window = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<Outcome>> running = new ArrayList<>();
    for (Request request : requests) {
      // The pass's own thread waits for room, so the shared threads never block on one pass.
      window.acquireUninterruptibly();
      running.add(
          CompletableFuture.supplyAsync(() -> add(request), calls)
              .whenComplete((outcome, failure) -> window.release()));
    }
    List<Outcome> outcomes = new ArrayList<>();
    try {
      for (CompletableFuture<Outcome> outcome : running) {
        outcomes.add(outcome.join());
      }
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    return outcomes;
  }

  private Outcome add(Request request) {
    // Read afresh: a list or cache may predate an ephemeral container added by an earlier
    // reconcile.
    Pod latest = client.pods().inNamespace(request.namespace()).withName(request.pod()).get();
    if (latest == null || !request.uid().equals(latest.getMetadata().getUid())) {
      return new Outcome(Result.GONE, null);
    }
    if (EphemeralContainerTemplate.hasEphemeral(latest)) {
      return new Outcome(Result.PRESENT, null);
    }
    Pod patch =
        new PodBuilder()
            .withNewSpec()
            .withEphemeralContainers(request.container())
            .endSpec()
            .build();
    try {
      // A strategic merge keyed by the container's name: a second one, from a replica that raced
      // us, adds nothing.
      client
          .pods()
          .inNamespace(request.namespace())
          .withName(request.pod())
          .ephemeralContainers()
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
      return new Outcome(Result.ADDED, null);
    } catch (KubernetesClientException e) {
      return new Outcome(
          Result.REFUSED,
          e.getCode() + " " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }

  /** Lets the calls already handed over finish (each is bounded by the client's timeouts). */
  @PreDestroy
  void stop() {
    calls.shutdown();
  }
}
