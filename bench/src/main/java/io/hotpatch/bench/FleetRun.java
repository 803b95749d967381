package io.hotpatch.bench;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One fleet of a given size, measured end to end: operator start, every sidecar connecting, then a
 * HotPatch from creation to Ready, with the operator's CPU and live heap around it, then the
 * operator killed and restarted until every sidecar is back; fails with the cause when the fleet
 * does not end exactly patched once per JVM.
 */
final class FleetRun {
  /** How long the fleet gets to come back after the operator is killed. */
  static final Duration RECONNECT_WAIT = Duration.ofMinutes(5);

  private final Fleet.Settings settings;
  private final PrintStream progress;
  private final int ownClientsUpTo;

  /**
   * Sidecars on one channel client in a fleet larger than {@link #ownClientsUpTo}: each client has
   * one selector thread, and one for ten thousand sidecars handed out their orders at a few hundred
   * a second.
   */
  private static final int SIDECARS_PER_SHARED_CLIENT = 250;

  FleetRun(Fleet.Settings settings, PrintStream progress) {
    this(settings, progress, Integer.MAX_VALUE);
  }

  /**
   * @param ownClientsUpTo the largest fleet whose sidecars each have a channel client of their own;
   *     a larger one shares a client among every {@link #SIDECARS_PER_SHARED_CLIENT} (thousands of
   *     clients, each with its threads and TLS context, do not fit in one process)
   */
  FleetRun(Fleet.Settings settings, PrintStream progress, int ownClientsUpTo) {
    this.settings = settings;
    this.progress = progress;
    this.ownClientsUpTo = ownClientsUpTo;
  }

  FleetFigures run() throws IOException, InterruptedException {
    try (Fleet fleet = Fleet.create(settings, progress)) {
      long starting = System.nanoTime();
      // One replica, whose Lease renewal competes with the whole simulated fleet for the same
      // cores:
      // a renewal starved past the chart's 10 s deadline would end the run, not measure it.
      OperatorProcess operator =
          fleet.startOperator(
              "hotpatch.operator.leader-election.lease-duration=120s",
              "hotpatch.operator.leader-election.renew-deadline=100s");
      Duration operatorStart = Duration.ofNanos(System.nanoTime() - starting);
      int perClient = settings.pods() > ownClientsUpTo ? SIDECARS_PER_SHARED_CLIENT : 1;
      long preparing = System.nanoTime();
      fleet.prepareSidecars(perClient);
      progress.printf(
          "  %d pods: operator ready in %d ms; sidecars built in %d ms (%s); starting them%n",
          settings.pods(),
          operatorStart.toMillis(),
          Duration.ofNanos(System.nanoTime() - preparing).toMillis(),
          perClient == 1 ? "a channel client each" : "a channel client per " + perClient);
      Duration cpuAtConnect = operator.cpu();
      Duration harnessCpuAtConnect = ownCpu();
      long connecting = System.nanoTime();
      fleet.startSidecars();
      Duration connect = Duration.ofNanos(System.nanoTime() - connecting);
      Duration cpuBefore = operator.cpu();
      Duration connectHarnessCpu = ownCpu().minus(harnessCpuAtConnect);
      long heapIdle = operator.liveHeapBytes();
      progress.printf(
          "  %d pods: all sidecars wait after %d ms; creating the HotPatch%n",
          settings.pods(), connect.toMillis());

      ServerSideApplyDispatcher writes = fleet.api().applies();
      long writesBefore = writes.applies();
      long listsBefore = writes.podLists();
      long getsBefore = writes.podGets();
      Duration apiTimeBefore = writes.applyTime();
      Duration fleetCpuBefore = ownCpu();
      long creating = System.nanoTime();
      fleet.createHotPatch();
      HotPatch ready = fleet.awaitReady();
      Duration toReady = Duration.ofNanos(System.nanoTime() - creating);
      Duration rolloutCpu = operator.cpu().minus(cpuBefore);
      Duration fleetCpu = ownCpu().minus(fleetCpuBefore);
      // Read before the restart below: the restarted operator's initial LIST is not the rollout's.
      long statusWrites = writes.applies() - writesBefore;
      Duration apiTime = writes.applyTime().minus(apiTimeBefore);
      long podLists = writes.podLists() - listsBefore;
      long podGets = writes.podGets() - getsBefore;
      fleet.verifyPatchedOnce(ready);
      long heapAfter = operator.liveHeapBytes();
      long peakRss = operator.peakRssBytes();
      Reconnect reconnect = reconnectAfterRestart(fleet);
      return new FleetFigures(
          settings.pods(),
          operatorStart,
          connect,
          cpuBefore.minus(cpuAtConnect),
          connectHarnessCpu,
          heapIdle,
          toReady,
          rolloutCpu,
          fleetCpu,
          statusWrites,
          apiTime,
          podLists,
          podGets,
          heapAfter,
          peakRss,
          Serialization.asJson(ready).getBytes(StandardCharsets.UTF_8).length,
          Serialization.asJson(ready.getStatus()).getBytes(StandardCharsets.UTF_8).length,
          reconnect.time(),
          reconnect.sidecarsBack(),
          reconnect.handshakesShed(),
          reconnect.livenessFailuresInARow(),
          reconnect.readinessFailuresInARow());
    }
  }

  /**
   * The fleet's return after an operator restart, and how the operator's probes fared meanwhile.
   */
  private record Reconnect(
      Duration time,
      long sidecarsBack,
      long handshakesShed,
      int livenessFailuresInARow,
      int readinessFailuresInARow) {}

  /**
   * When the wait ended, and the restarted operator's channel at its last answered scrape: the
   * sidecars holding a long poll on it, and the handshakes it had shed.
   */
  private record SidecarsBack(Duration time, OperatorProcess.ChannelMetrics channel) {}

  /**
   * Kills the operator as an eviction or an out-of-memory kill would and starts it again on the
   * same ports: the time until every sidecar holds a long poll on it again.
   */
  private Reconnect reconnectAfterRestart(Fleet fleet) throws IOException, InterruptedException {
    fleet.killOperator();
    long killed = System.nanoTime();
    OperatorProcess restarted = fleet.startOperator();
    Reconnect reconnect;
    try (KubeletProbes probes = KubeletProbes.watch(restarted)) {
      SidecarsBack back = awaitEverySidecar(restarted, killed);
      reconnect =
          new Reconnect(
              back.time(),
              back.channel().pollsWaiting(),
              back.channel().handshakesShed(),
              probes.livenessFailuresInARow(),
              probes.readinessFailuresInARow());
    }
    progress.printf(
        "  %d pods: meanwhile at most %d liveness and %d readiness probes failed in a row"
            + " (the chart's probes act at %d; -1: none passed yet)%n",
        settings.pods(),
        reconnect.livenessFailuresInARow(),
        reconnect.readinessFailuresInARow(),
        KubeletProbes.FAILURE_THRESHOLD);
    return reconnect;
  }

  private SidecarsBack awaitEverySidecar(OperatorProcess restarted, long killed)
      throws InterruptedException {
    AtomicReference<OperatorProcess.ChannelMetrics> channel =
        new AtomicReference<>(new OperatorProcess.ChannelMetrics(0, 0));
    AtomicInteger unanswered = new AtomicInteger();
    try {
      // Each look renders all of the operator's metrics, on the cores the storm needs.
      Fleet.await(
          RECONNECT_WAIT,
          Duration.ofMillis(500),
          () -> {
            try {
              channel.set(restarted.channelMetrics());
            } catch (IllegalStateException busy) {
              // The storm may keep the operator from answering a scrape in time; ask again.
              unanswered.incrementAndGet();
            }
            return channel.get().pollsWaiting() >= settings.pods();
          },
          () ->
              channel.get().pollsWaiting() + " of " + settings.pods() + " sidecars waiting again");
    } catch (IllegalStateException timedOut) {
      // Not all back: the figures so far still print, and the command then fails.
    }
    Duration reconnect = Duration.ofNanos(System.nanoTime() - killed);
    long waiting = channel.get().pollsWaiting();
    progress.printf(
        "  %d pods: operator killed and restarted; %s after %d ms"
            + " (%d metrics scrapes unanswered within 5 s meanwhile)%n",
        settings.pods(),
        waiting >= settings.pods()
            ? "every sidecar waiting again"
            : "only " + waiting + " of " + settings.pods() + " sidecars waiting again",
        reconnect.toMillis(),
        unanswered.get());
    return new SidecarsBack(reconnect, channel.get());
  }

  private static Duration ownCpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
  }
}
