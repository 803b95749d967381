package io.hotpatch.bench.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS connections that never finish their request, at a small size (400 against a cap of 100 and a
 * 15 s idle timeout; scripts/attack-connections.sh runs 20,000 against the chart's settings): the
 * operator holds at most the cap, closes the rest, keeps serving the sidecar it had and its probes,
 * serves a new sidecar once the flood idles out, and stays inside its memory limit.
 */
@ExtendWith(SharedOperator.class)
class UnfinishedTlsFloodIT {
  private static final int CAP = SharedOperator.CAP;
  private static final Duration IDLE_TIMEOUT = SharedOperator.IDLE_TIMEOUT;
  private static final int CONNECTIONS = 400;

  @Test
  void unfinishedTlsConnectionsAreCappedAndClosedWhileTheGoodSidecarAndTheProbesAreServed(
      HostileRig rig) throws Exception {
    FloodFigures figures =
        new FloodRun(rig, System.out).run(CONNECTIONS, IDLE_TIMEOUT.plusSeconds(45));
    figures.print(System.out);

    assertThat(figures.openedByServer()).as("held at once").isLessThanOrEqualTo(CAP);
    assertThat(figures.closedAtOnce() + figures.failedToConnect())
        .isGreaterThanOrEqualTo(CONNECTIONS - CAP);
    assertThat(figures.fdsFlooded() - figures.fdsBefore())
        .as("file descriptors the flood took")
        .isLessThanOrEqualTo(CAP + 20);
    assertThat(figures.goodPollFailures()).as("polls of the sidecar connected before").isZero();
    assertThat(figures.goodPolls()).isPositive();
    assertThat(figures.probeFailuresInARow())
        .as("readiness probes failed in a row (3 restart the pod)")
        .isLessThan(3);
    assertThat(figures.peakRss()).as("peak RSS").isLessThan(512L << 20);
    assertThat(figures.allClosedAfter()).isLessThan(IDLE_TIMEOUT.plusSeconds(30));
    assertThat(figures.fdsAfter()).isLessThanOrEqualTo(figures.fdsBefore() + 20);
  }
}
