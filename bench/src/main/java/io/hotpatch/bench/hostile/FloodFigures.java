package io.hotpatch.bench.hostile;

import java.io.PrintStream;
import java.time.Duration;

/**
 * What a flood of unfinished TLS connections did to the operator, and what the good sidecar saw.
 *
 * @param openedByServer connections the server still held when the flood had opened them all
 * @param closedAtOnce connections the server closed while the flood was opening (refused at the
 *     cap)
 * @param newSidecarServedAfter from the flood's end until a sidecar with a new connection was
 *     served
 * @param allClosedAfter from the flood's end until the server had closed every flood connection
 */
public record FloodFigures(
    int connections,
    long fdsBefore,
    long fdsFlooded,
    long fdsAfter,
    int openedByServer,
    int closedAtOnce,
    int failedToConnect,
    long rssBefore,
    long rssFlooded,
    long peakRss,
    int goodPolls,
    int goodPollFailures,
    Duration slowestGoodPoll,
    int probesRead,
    int probeFailures,
    int probeFailuresInARow,
    Duration newSidecarServedAfter,
    Duration allClosedAfter) {

  public void print(PrintStream out) {
    out.printf(
        "flood connections                %d (handshake done, half a request, never the rest)%n",
        connections);
    out.printf("  held by the operator at once   %d%n", openedByServer);
    out.printf("  closed by it during the flood  %d (over the connection cap)%n", closedAtOnce);
    out.printf("  failed to connect              %d%n", failedToConnect);
    out.printf(
        "  all closed by it after         %.1f s (idle timeout)%n",
        allClosedAfter.toMillis() / 1000.0);
    out.printf(
        "operator file descriptors        %d before, %d flooded, %d after%n",
        fdsBefore, fdsFlooded, fdsAfter);
    out.printf(
        "operator RSS                     %.0f MiB before, %.0f flooded, %.0f peak (limit 512 MiB)%n",
        rssBefore / 1048576.0, rssFlooded / 1048576.0, peakRss / 1048576.0);
    out.printf(
        "good sidecar, connected before   %d polls served, %d failed, slowest %d ms (1 s of it its wait)%n",
        goodPolls, goodPollFailures, slowestGoodPoll.toMillis());
    out.printf(
        "readiness probe (3 s timeout)    %d answered, %d failed, at most %d in a row%n",
        probesRead, probeFailures, probeFailuresInARow);
    out.printf(
        "new sidecar served after         %.1f s%n", newSidecarServedAfter.toMillis() / 1000.0);
  }
}
