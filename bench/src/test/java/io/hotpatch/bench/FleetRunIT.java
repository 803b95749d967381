package io.hotpatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A small fleet end to end: the built operator process, the mock API and twelve in-process sidecars
 * running the real daemon; the run itself fails unless every pod is patched once.
 */
public class FleetRunIT {
  private static final Path WORK = Path.of("target", "fleet-it").toAbsolutePath();

  @Test
  void aSmallFleetReachesReadyWithEveryJvmPatchedOnce() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    FleetRun run =
        new FleetRun(
            Fleet.Settings.local(12, Duration.ofMillis(50), "50%", WORK),
            new PrintStream(progress, true, StandardCharsets.UTF_8));

    FleetFigures figures = run.run();

    assertThat(figures.pods()).isEqualTo(12);
    assertThat(figures.toReady()).isPositive();
    assertThat(figures.rolloutCpu()).isPositive();
    assertThat(figures.podLists())
        .as("pod LISTs from creation to Ready (the informer's cache)")
        .isZero();
    assertThat(figures.statusWrites()).isPositive();
    assertThat(figures.liveHeapIdle()).isPositive();
    assertThat(figures.liveHeapAfter()).isPositive();
    assertThat(figures.peakRss()).isGreaterThan(figures.liveHeapAfter());
    assertThat(figures.reconnect()).isPositive();
    assertThat(figures.sidecarsBack()).as("sidecars back after the restart").isEqualTo(12);
    assertThat(figures.livenessFailuresInARow()).isZero();
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("12 pods: operator ready in")
        .contains("probes failed in a row");
    System.out.printf(
        "12 pods, 2 waves: created -> Ready %d ms, operator CPU %d ms, live heap %.1f MiB;"
            + " operator killed -> every sidecar back %d ms%n",
        figures.toReady().toMillis(),
        figures.rolloutCpu().toMillis(),
        figures.liveHeapAfter() / 1048576.0,
        figures.reconnect().toMillis());
  }

  @Test
  void aMissingOperatorJarIsOneLineNamingTheBuild() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine command = FleetBench.commandLine(System.out);
    command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));

    int exit =
        command.execute(
            "--pods",
            "1",
            "--operator-jar",
            WORK.resolve("absent.jar").toString(),
            "--work-dir",
            WORK.toString());

    assertThat(exit).isNotZero();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("hotpatch-fleet-bench: no operator at " + WORK.resolve("absent.jar"))
        .contains("mvn -pl operator -am package")
        .doesNotContain("\tat ");
  }
}
