package io.hotpatch.bench;

import java.time.Duration;

/**
 * What one fleet run measured.
 *
 * @param connect time for every sidecar, all started at once, to connect and hold its first long
 *     poll
 * @param connectHarnessCpu CPU of this process (the simulated sidecars' clients and TLS, the mock
 *     API's TokenReviews) while they connect, spent on the same cores as the operator's
 * @param toReady HotPatch creation to its Ready condition, every pod patched
 * @param liveHeapIdle operator heap after a full GC with every sidecar waiting, before the patch
 * @param liveHeapAfter the same once the HotPatch is Ready
 * @param fleetCpu CPU of this process (the simulated sidecars and the mock API) from creation to
 *     Ready, spent on the same cores as the operator's
 * @param objectBytes size of the Ready HotPatch as JSON: its per-pod status grows with the fleet,
 *     and the API server stores objects of up to about 1.5 MiB
 * @param statusWrites server-side applies of the operator from creation to Ready
 * @param apiTime time the mock API server spent serving those writes
 * @param podLists pod LISTs the operator sent from creation to Ready (its informer's cache answers
 *     the rollout)
 * @param podGets single-pod GETs in that time
 * @param statusBytes size of the Ready HotPatch's status as JSON, bounded however large the fleet
 * @param reconnect the operator killed (SIGKILL) and started again, to every sidecar holding a long
 *     poll on it again, or to the end of the wait when not all did
 * @param sidecarsBack the sidecars holding a long poll on the restarted operator at that time
 * @param handshakesShed TLS handshakes the restarted operator refused meanwhile because their
 *     connection had waited too long for it
 * @param livenessFailuresInARow the most liveness probes, as the chart sets them, that failed in a
 *     row meanwhile (-1 if none ever passed): at 3 Kubernetes would restart the operator into the
 *     same storm
 * @param readinessFailuresInARow the same of readiness probes: at 3 the operator would leave its
 *     Service
 */
record FleetFigures(
    int pods,
    Duration operatorStart,
    Duration connect,
    Duration connectCpu,
    Duration connectHarnessCpu,
    long liveHeapIdle,
    Duration toReady,
    Duration rolloutCpu,
    Duration fleetCpu,
    long statusWrites,
    Duration apiTime,
    long podLists,
    long podGets,
    long liveHeapAfter,
    long peakRss,
    long objectBytes,
    long statusBytes,
    Duration reconnect,
    long sidecarsBack,
    long handshakesShed,
    int livenessFailuresInARow,
    int readinessFailuresInARow) {
  /** Whether every sidecar came back within the wait. */
  boolean everySidecarBack() {
    return sidecarsBack >= pods;
  }
}
