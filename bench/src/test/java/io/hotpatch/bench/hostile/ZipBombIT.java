package io.hotpatch.bench.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.hotpatch.bench.Fleet;
import io.hotpatch.bench.OperatorProcess;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.testkit.HostileBundles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Zip bombs: 100 HotPatches pin one ConfigMap whose 1 MiB jar inflates to 1 GiB. The built
 * operator, run as the chart runs it (-Xmx332m of a 512 MiB limit), stays up, refuses every one
 * naming the limit, does not keep reading them (less than half a core afterwards), and a good
 * HotPatch stays Ready. {@code -Dhotpatch.bench.bombs=N} changes the count (to measure an operator
 * that 100 bombs kill).
 */
class ZipBombIT {
  private static final Path WORK = Path.of("target", "hostile-it", "zip-bomb").toAbsolutePath();
  private static final int BOMBS = Integer.getInteger("hotpatch.bench.bombs", 100);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CPU_WINDOW = Duration.ofSeconds(5);
  private static final long RSS_LIMIT = 512L << 20;

  @Test
  void aHundredZipBombsAreRefusedWhileAGoodHotPatchGoesReady() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Fleet.Settings settings = Fleet.Settings.local(1, Duration.ofMillis(100), "100%", WORK);
    try (Fleet fleet =
        Fleet.create(settings, new PrintStream(progress, true, StandardCharsets.UTF_8))) {
      CompletableFuture<byte[]> building =
          CompletableFuture.supplyAsync(() -> HostileBundles.zipBomb(1L << 30));
      OperatorProcess operator = fleet.startOperator();
      fleet.connectSidecars();
      fleet.createHotPatch();
      fleet.awaitReady();
      byte[] bomb = building.join();
      assertThat(bomb.length).as("1 GiB of zeros, packed").isLessThan(1100 * 1024);
      String bombSha = fleet.bundleConfigMap("bomb", bomb);

      IntStream.range(0, BOMBS)
          .forEach(
              i ->
                  fleet.createHotPatch(String.format("bomb-%03d", i), "bomb", bombSha, spec -> {}));
      Fleet.await(
          TIMEOUT,
          () -> {
            if (!operator.alive()) {
              throw new AssertionError("the operator died: " + operator.tail());
            }
            List<HotPatch> all = fleet.hotPatches();
            return all.size() == BOMBS + 1 && all.stream().allMatch(ZipBombIT::settled);
          },
          () -> describe(fleet.hotPatches()) + "; " + operator.tail());
      Duration bombsCpu = cpuOver(operator, CPU_WINDOW);
      long peakRss = operator.peakRssBytes();
      System.out.printf(
          "%d zip bombs refused beside a Ready HotPatch: operator peak RSS %.0f MiB; operator CPU"
              + " in the next %d s: %d ms%n",
          BOMBS, peakRss / 1048576.0, CPU_WINDOW.toSeconds(), bombsCpu.toMillis());

      assertThat(operator.alive()).as("operator process up").isTrue();
      assertThat(bombsCpu)
          .as(
              "operator CPU over %d s once every bomb is refused: none is read again in a loop",
              CPU_WINDOW.toSeconds())
          .isLessThan(CPU_WINDOW.dividedBy(2));
      List<HotPatch> bombs =
          fleet.hotPatches().stream()
              .filter(h -> h.getMetadata().getName().startsWith("bomb-"))
              .toList();
      assertThat(bombs)
          .hasSize(BOMBS)
          .allSatisfy(
              h ->
                  assertThat(condition(h, "Degraded"))
                      .hasValueSatisfying(
                          c -> {
                            assertThat(c.getStatus()).isEqualTo("True");
                            assertThat(c.getReason()).isEqualTo("InvalidBundle");
                            assertThat(c.getMessage())
                                .isEqualTo(
                                    "Bundle in ConfigMap fleet/bomb is refused: bundle entry"
                                        + " shop/PriceCalculator.class inflates past 4 MiB, the most one entry may hold: a patch carries only"
                                        + " the changed classes; diff the builds again with 'hotpatch diff'");
                          }));
      assertThat(condition(fleet.hotPatch(), "Ready"))
          .as("the good HotPatch stays Ready")
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
      assertThat(fleet.patchedJvms()).as("the good HotPatch's pod").isEqualTo(1);
      assertThat(fleet.patchedJvms(bombSha)).isZero();
      assertThat(peakRss).as("peak RSS").isLessThan(RSS_LIMIT);
    }
  }

  /** The operator's CPU time over the next {@code window}. */
  private static Duration cpuOver(OperatorProcess operator, Duration window)
      throws InterruptedException {
    Duration before = operator.cpu();
    Thread.sleep(window.toMillis());
    return operator.cpu().minus(before);
  }

  /** Ready (the good one) or refused (a bomb). */
  private static boolean settled(HotPatch hotPatch) {
    return condition(hotPatch, "Ready").filter(c -> "True".equals(c.getStatus())).isPresent()
        || condition(hotPatch, "Degraded")
            .filter(c -> "InvalidBundle".equals(c.getReason()))
            .isPresent();
  }

  private static Optional<Condition> condition(HotPatch hotPatch, String type) {
    return hotPatch.getStatus() == null
        ? Optional.empty()
        : hotPatch.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst();
  }

  private static String describe(List<HotPatch> hotPatches) {
    long settled = hotPatches.stream().filter(ZipBombIT::settled).count();
    return settled + " of " + hotPatches.size() + " HotPatches Ready or refused";
  }
}
