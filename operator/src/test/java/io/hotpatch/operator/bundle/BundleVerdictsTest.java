package io.hotpatch.operator.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.Sha256;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.testkit.HostileBundles;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** One check per bundle content, however many HotPatches ask at once. */
class BundleVerdictsTest {
  private final BundleVerdicts verdicts = new BundleVerdicts();

  @Test
  void aContentIsCheckedOnceAndItsVerdictKeptByItsSha256() throws Exception {
    byte[] bomb = HostileBundles.zipBomb(64L << 20);
    String sha = Sha256.hex(bomb);
    ExecutorService hundred = Executors.newFixedThreadPool(100);
    try {
      var asked =
          IntStream.range(0, 100)
              .mapToObj(
                  i -> CompletableFuture.supplyAsync(() -> verdicts.check(sha, bomb), hundred))
              .toList();
      assertThat(asked.stream().map(CompletableFuture::join).distinct())
          .singleElement()
          .satisfies(v -> assertThat(v.refusal(true)).contains("inflates past 4 MiB"));
    } finally {
      hundred.shutdown();
    }
    // Checked once: later bytes under the same sha256 are not looked at again.
    assertThat(verdicts.check(sha, TestBundles.priceFix(1)).refusal(false))
        .contains("inflates past 4 MiB");
    assertThat(verdicts.known(sha)).isNotNull();
    assertThat(verdicts.known(Sha256.hex(TestBundles.priceFix(1)))).isNull();
  }

  @Test
  void jdkClassesAreRefusedOnlyForHotPatchesThatDoNotAllowThem() {
    byte[] bundle = HostileBundles.ofClass("java/lang/Object", "Object.java");

    BundleVerdicts.Verdict verdict = verdicts.check(Sha256.hex(bundle), bundle);

    assertThat(verdict.refusal(false))
        .startsWith("bundle patches java.lang.Object, a class of the JDK");
    assertThat(verdict.refusal(true)).isNull();
    assertThat(
            verdicts
                .check(Sha256.hex(TestBundles.priceFix(1)), TestBundles.priceFix(1))
                .refusal(false))
        .isNull();
  }
}
