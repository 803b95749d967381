package io.hotpatch.operator.channel.http;

import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.operator.channel.InMemorySidecarGateway;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long polls on pods' desired states: a waiting sidecar holds an emitter, not a thread, and is
 * answered as soon as the gateway changes what its pod must run.
 */
@ApplicationScoped
public class DesiredStateBroadcaster {
  private final InMemorySidecarGateway gateway;
  private final Map<String, Set<UniEmitter<? super DesiredState>>> waitingByPodUid =
      new ConcurrentHashMap<>();

  @Inject
  DesiredStateBroadcaster(InMemorySidecarGateway gateway, MeterRegistry registry) {
    this.gateway = gateway;
    gateway.onDesiredChange(this::wake);
    Gauge.builder("hotpatch.channel.polls.waiting", this, DesiredStateBroadcaster::waiting)
        .description(
            "Sidecars' long polls this operator holds now: the sidecars connected to it and"
                + " waiting for news")
        .register(registry);
  }

  /** The pod's desired state now. */
  public DesiredState current(String podUid) {
    return DesiredStates.of(gateway.desiredFor(podUid));
  }

  /**
   * The pod's desired state once its revision differs from {@code seenRevision} (at once when it
   * already does or is null), or the unchanged state after {@code maxWait}.
   */
  public Uni<DesiredState> next(String podUid, String seenRevision, Duration maxWait) {
    DesiredState now = current(podUid);
    if (seenRevision == null || !seenRevision.equals(now.getRevision())) {
      return Uni.createFrom().item(now);
    }
    Context requestContext = Vertx.currentContext();
    Uni<DesiredState> changed =
        Uni.createFrom()
            .<DesiredState>emitter(
                emitter -> {
                  register(podUid, emitter);
                  emitter.onTermination(() -> unregister(podUid, emitter));
                  DesiredState again =
                      current(podUid); // a change between the first look and register()
                  if (!seenRevision.equals(again.getRevision())) {
                    emitter.complete(again);
                  }
                })
            .ifNoItem()
            .after(maxWait)
            .recoverWithItem(() -> current(podUid));
    // Answer on the request's event loop, not on the reconciler thread that published the change.
    return requestContext == null
        ? changed
        : changed.emitOn(task -> requestContext.runOnContext(ignored -> task.run()));
  }

  /** How many long polls are waiting right now. */
  public int waiting() {
    return waitingByPodUid.values().stream().mapToInt(Set::size).sum();
  }

  private void wake(String podUid) {
    Set<UniEmitter<? super DesiredState>> waiting = waitingByPodUid.get(podUid);
    if (waiting != null && !waiting.isEmpty()) {
      DesiredState state = current(podUid);
      waiting.forEach(emitter -> emitter.complete(state));
    }
  }

  private void register(String podUid, UniEmitter<? super DesiredState> emitter) {
    waitingByPodUid.compute(
        podUid,
        (uid, waiting) -> {
          Set<UniEmitter<? super DesiredState>> set =
              waiting == null ? ConcurrentHashMap.newKeySet() : waiting;
          set.add(emitter);
          return set;
        });
  }

  private void unregister(String podUid, UniEmitter<? super DesiredState> emitter) {
    waitingByPodUid.computeIfPresent(
        podUid,
        (uid, waiting) -> {
          waiting.remove(emitter);
          return waiting.isEmpty() ? null : waiting;
        });
  }
}
