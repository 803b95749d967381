package io.hotpatch.bench.hostile;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Floods a running operator with unfinished TLS connections from 127.0.0.2 while a good sidecar
 * polls, then waits for a new sidecar to be served and for every flood connection to be closed.
 */
public final class FloodRun {
  private static final int PARALLEL = 16;
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private final HostileRig rig;
  private final PrintStream progress;

  public FloodRun(HostileRig rig, PrintStream progress) {
    this.rig = rig;
    this.progress = progress;
  }

  /** Runs the flood; {@code patience} bounds each wait (the idle timeout plus some). */
  public FloodFigures run(int connections, Duration patience)
      throws IOException, InterruptedException {
    long fdsBefore = rig.operator().openFiles();
    long rssBefore = rig.operator().rssBytes();
    try (GoodSidecar good = new GoodSidecar(rig);
        ConnectionFlood flood = new ConnectionFlood(rig.raw(), HostileRig.loopback(2), PARALLEL)) {
      progress.printf("opening %d unfinished TLS connections...%n", connections);
      flood.open(connections);
      long floodEnd = System.nanoTime();
      Thread.sleep(
          SETTLE.toMillis()); // the server closes the connections it refused as it gets to them
      int held = flood.sweep();
      int closedAtOnce = flood.closedByServer();
      long fdsFlooded = rig.operator().openFiles();
      long rssFlooded = rig.operator().rssBytes();
      progress.printf(
          "the operator holds %d of them; waiting for a new sidecar and for the rest to close...%n",
          held);
      Duration newServed = newSidecarServed(floodEnd, patience);
      Duration allClosed = allClosed(flood, floodEnd, patience);
      good.close();
      return new FloodFigures(
          connections,
          fdsBefore,
          fdsFlooded,
          rig.operator().openFiles(),
          held,
          closedAtOnce,
          flood.failed(),
          rssBefore,
          rssFlooded,
          rig.operator().peakRssBytes(),
          good.polls(),
          good.pollFailures(),
          good.slowestPoll(),
          good.probesRead(),
          good.probeFailures(),
          good.probeFailuresInARow(),
          newServed,
          allClosed);
    }
  }

  /** A sidecar that connects after the flood retries, as the daemon does, until it is served. */
  private Duration newSidecarServed(long since, Duration patience) throws InterruptedException {
    HttpClient client = rig.sidecarClient();
    long deadline = since + patience.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (rig.poll(client, null, 1).statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - since);
        }
      } catch (IOException refusedAtTheCap) {
        Thread.sleep(250);
      }
    }
    throw new IllegalStateException(
        "a new sidecar was not served within "
            + patience.toSeconds()
            + " s of the"
            + " flood: "
            + rig.operator().tail());
  }

  private static Duration allClosed(ConnectionFlood flood, long since, Duration patience)
      throws InterruptedException {
    long deadline = since + patience.toNanos();
    int open;
    while ((open = flood.sweep()) > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            open
                + " flood connections were still open "
                + patience.toSeconds()
                + " s after the flood: the operator never closes them");
      }
      Thread.sleep(200);
    }
    return Duration.ofNanos(System.nanoTime() - since);
  }
}
