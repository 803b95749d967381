package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.cli.BenchFigures.Latency;
import io.hotpatch.cli.BenchFigures.Pauses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code hotpatch bench} prints and which JDKs it accepts (the measuring itself is run by hand). */
class BenchCommandTest {
  @Test
  void tableNamesTheTargetJdkEachLatencyWindowAndTheRedefinitionPauses() {
    BenchFigures figures = new BenchFigures("OK", "25.0.3", "/jdk25", "17.0.15", 5, 150, 1200, 8.0,
        new Latency(2.0, 19.0, 80.0, 2000, "steady window"), new Latency(3.0, 60.0, 90.0, 700, "apply window"),
        new Latency(5.0, 40.0, 70.0, 2500, "restart window"), 0, 1200,
        new Pauses(5, 10717, 137395), new Pauses(5, 114100, 163576), new Pauses(3, 16729, 47215), 76_800, "VmHWM");

    List<String> lines = BenchCommand.table(figures);

    assertThat(lines).anySatisfy(l -> assertThat(l).contains("Java 25.0.3 (/jdk25)", "attacher on Java 17.0.15"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("time to patched (median)").contains("150 ms", "1200 ms", "8.0x"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("p99 latency (steady 19.0 ms)").contains("60.0 ms", "40.0 ms"));
    assertThat(lines).contains("latency, steady:    steady window", "latency, hot patch: apply window",
        "latency, restart:   restart window");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("\"RedefineClasses\" per apply").contains("5", "10717 us", "137395 us"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("\"RedefineClasses\" per revert").contains("114100 us", "163576 us"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("all other safepoints (reference)").contains("3", "16729 us"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("peak RSS of the attaching process: 75 MiB (VmHWM)"));
  }

  @Test
  void aJavaHomeWithoutJavaIsAUsageErrorBeforeAnythingStarts() {
    CliRun run = CliRun.of("bench", "--java-home", "/nonexistent/jdk");

    assertThat(run.exitCode()).isEqualTo(2);
    run.assertOneLineError("--java-home /nonexistent/jdk has no bin/java");
  }
}
