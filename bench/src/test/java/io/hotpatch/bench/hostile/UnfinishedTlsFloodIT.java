package io.hotpatch.bench.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.sample.JavaHomes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TLS connections that never finish their request, at a small size (400 against a cap of 100 and a
 * 15 s idle timeout; scripts/attack-connections.sh runs 20,000 against the chart's settings): the
 * operator holds at most the cap, closes the rest, keeps serving the sidecar it had and its probes,
 * serves a new sidecar once the flood idles out, and stays inside its memory limit.
 */
class UnfinishedTlsFloodIT {
  private static final Path WORK =
      Path.of("target", "hostile", "unfinished-tls-flood").toAbsolutePath();
  private static final int CAP = 100;
  private static final int CONNECTIONS = 400;

  @Test
  void unfinishedTlsConnectionsAreCappedAndClosedWhileTheGoodSidecarAndTheProbesAreServed()
      throws Exception {
    try (HostileRig rig =
        HostileRig.start(
            JavaHomes.current(),
            operatorJar(),
            WORK,
            List.of(
                "quarkus.http.limits.max-connections=" + CAP, "quarkus.http.idle-timeout=15s"))) {
      FloodFigures figures = new FloodRun(rig, System.out).run(CONNECTIONS, Duration.ofSeconds(60));
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
      assertThat(figures.allClosedAfter()).isLessThan(Duration.ofSeconds(45));
      assertThat(figures.fdsAfter()).isLessThanOrEqualTo(figures.fdsBefore() + 20);
    }
  }

  static Path operatorJar() {
    return Path.of(
        System.getProperty(
            "hotpatch.operator.jar", "../operator/target/quarkus-app/quarkus-run.jar"));
  }
}
