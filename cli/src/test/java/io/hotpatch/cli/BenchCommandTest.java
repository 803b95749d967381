package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.cli.BenchFigures.CliApplies;
import io.hotpatch.cli.BenchFigures.HotPath;
import io.hotpatch.cli.BenchFigures.Latency;
import io.hotpatch.cli.BenchFigures.Pauses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code hotpatch bench} prints and which JDKs it accepts (the measuring itself is run by
 * hand).
 */
class BenchCommandTest {
  @Test
  void tableShowsResidentAttachAndRestartSideBySideWithPhasesAndPauses() {
    Latency steady = new Latency(2.0, 19.0, 80.0, 2000, "steady window");
    HotPath resident =
        new HotPath(
            "resident agent (socket)",
            30.5,
            12.25,
            26.2,
            steady,
            new Latency(2.5, 21.0, 40.0, 300, "apply window"),
            0,
            new Pauses(5, 2100, 3500),
            new Pauses(5, 1900, 2500),
            phases(4.0, 31.0),
            phases(1.5, 12.0));
    HotPath attach =
        new HotPath(
            "attach",
            250.0,
            90.0,
            3.6,
            new Latency(2.1, 18.0, 70.0, 2000, "steady window"),
            new Latency(3.0, 60.0, 90.0, 700, "apply window"),
            0,
            new Pauses(5, 10717, 137395),
            new Pauses(5, 114100, 163576),
            Map.of("readBundle", 9.0, "attach", 240.0),
            Map.of("readBundle", 2.0, "attach", 88.0));
    BenchFigures figures =
        new BenchFigures(
            "OK",
            "spring-boot",
            "25.0.3",
            "/jdk25",
            "17.0.15",
            5,
            resident,
            attach,
            321,
            new Latency(5.0, 40.0, 70.0, 2500, "restart window"),
            1200,
            new CliApplies("bin/hotpatch apply", 5, 180, 150, 1.8, 120, 110),
            new Pauses(3, 16729, 47215),
            76_800,
            "VmHWM");

    List<String> lines = BenchCommand.table(figures);

    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains(
                        "Spring Boot checkout service (fat jar) on Java 25.0.3 (/jdk25)",
                        "client on Java 17.0.15"));
    assertThat(
            lines.stream()
                .filter(
                    l ->
                        l.contains("resident agent")
                            && l.contains("attach")
                            && l.contains("restart")))
        .isNotEmpty();
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("time to patched, median")
                    .contains("12.25 ms", "90.0 ms", "321 ms"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).startsWith("restart / hot").contains("26.2x", "3.6x"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("'hotpatch apply' wall time, median (min)")
                    .contains("180 ms (150 ms)"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).startsWith("restart / 'hotpatch apply'").contains("1.8x"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("'hotpatch apply', service idle, median (min)")
                    .contains("120 ms (110 ms)"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("p99 latency: steady / in window")
                    .contains("19.0 / 21.0 ms", "18.0 / 60.0 ms", "40.0 ms"));
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).startsWith("p99 in window / steady").contains("1.1x", "3.3x"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("socket").contains("31.0", "12.0"));
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).startsWith("attach ").contains("240.0", "88.0"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("resident: \"RedefineClasses\" per apply")
                    .contains("2100 us", "3500 us"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("attach: \"RedefineClasses\" per revert")
                    .contains("114100 us", "163576 us"));
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("all other safepoints (reference)")
                    .contains("3", "16729 us"));
    assertThat(lines)
        .anySatisfy(
            l -> assertThat(l).contains("peak RSS of the attaching process: 75 MiB (VmHWM)"));
  }

  private static Map<String, Double> phases(double readBundle, double socket) {
    Map<String, Double> phases = new LinkedHashMap<>();
    phases.put("readBundle", readBundle);
    phases.put("socket", socket);
    return phases;
  }

  @Test
  void aJavaHomeWithoutJavaIsAUsageErrorBeforeAnythingStarts() {
    CliRun run = CliRun.of("bench", "--java-home", "/nonexistent/jdk");

    assertThat(run.exitCode()).isEqualTo(2);
    run.assertOneLineError("--java-home /nonexistent/jdk has no bin/java");
  }

  @Test
  void anUnknownServiceIsAUsageErrorNamingTheServices() {
    CliRun run = CliRun.of("bench", "--service", "wildfly");

    assertThat(run.exitCode()).isEqualTo(2);
    run.assertOneLineError("--service wildfly is not a sample service: pass demo or spring-boot");
  }
}
