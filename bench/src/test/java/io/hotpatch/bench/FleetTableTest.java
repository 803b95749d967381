package io.hotpatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table puts sizes side by side, medians of their runs, and says how each figure grew from the
 * first size to the last.
 */
class FleetTableTest {
  @Test
  void growthIsTheLastSizeOverTheFirst() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new FleetTable(List.of(List.of(figures(100, 2000, 20)), List.of(figures(1000, 12000, 40))))
        .print(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .anySatisfy(line -> assertThat(line).matches("pods +100 +1000 +growth"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches("HotPatch created -> Ready \\(ms\\) +2000\\.0 +12000\\.0 +6\\.0x"))
        .anySatisfy(
            line ->
                assertThat(line).matches("live heap after Ready \\(MiB\\) +20\\.0 +40\\.0 +2\\.0x"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches("operator CPU per pod patched \\(ms\\) +10\\.0 +1\\.0 +0\\.1x"));
  }

  @Test
  void oneSizeHasNoGrowthColumn() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new FleetTable(List.of(List.of(figures(100, 2000, 20))))
        .print(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("one run per size")
        .doesNotContain("growth", "x\n");
  }

  @Test
  void eachCellIsTheMedianOfItsRuns() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new FleetTable(
            List.of(
                List.of(figures(100, 9000, 20), figures(100, 2000, 21), figures(100, 3000, 90))))
        .print(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .contains("median of 3 runs per size")
        .anySatisfy(
            line -> assertThat(line).matches("HotPatch created -> Ready \\(ms\\) +3000\\.0"))
        .anySatisfy(line -> assertThat(line).matches("live heap after Ready \\(MiB\\) +21\\.0"));
  }

  @Test
  void aFleetNotBackInTimeShowsMinusOneHowManyCameBackAndTheHandshakesShed() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new FleetTable(List.of(List.of(figures(10000, 17000, 200, 9750))))
        .print(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches(
                        "operator killed -> every sidecar back \\(ms; -1: not within 300 s\\)"
                            + " +-1\\.0"))
        .anySatisfy(line -> assertThat(line).matches("sidecars back by then +9750\\.0"))
        .anySatisfy(
            line -> assertThat(line).matches("TLS handshakes it shed meanwhile \\(.*\\) +12\\.0"));
  }

  private static FleetFigures figures(int pods, long readyMillis, long heapMib) {
    return figures(pods, readyMillis, heapMib, pods);
  }

  private static FleetFigures figures(int pods, long readyMillis, long heapMib, long back) {
    Duration second = Duration.ofSeconds(1);
    return new FleetFigures(
        pods,
        second,
        second,
        second,
        second,
        heapMib << 20,
        Duration.ofMillis(readyMillis),
        second,
        second,
        3,
        second,
        0,
        0,
        heapMib << 20,
        300L << 20,
        4096,
        2048,
        second,
        back,
        12,
        0,
        0);
  }
}
