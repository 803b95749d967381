package io.hotpatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.api.v1alpha1.HotPatch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The e2e failover scenario where no cluster runs: the operator process is killed (SIGKILL, its
 * Lease left held) in the middle of a one-pod-at-a-time rollout; a new operator process takes the
 * Lease over, the sidecars reconnect, and the rollout ends with every JVM patched exactly once.
 */
class OperatorFailoverIT {
  private static final Path WORK = Path.of("target", "failover-it").toAbsolutePath();
  private static final int PODS = 8;

  @Test
  void theNextOperatorFinishesAKilledOnesRolloutWithEveryJvmPatchedOnce() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Fleet.Settings settings = Fleet.Settings.local(PODS, Duration.ofMillis(200), "1", WORK);
    try (Fleet fleet =
        Fleet.create(settings, new PrintStream(progress, true, StandardCharsets.UTF_8))) {
      fleet.startOperator();
      fleet.connectSidecars();
      fleet.createHotPatch();
      Fleet.await(
          Duration.ofMinutes(2),
          () -> fleet.patchedJvms() >= 2,
          () -> fleet.patchedJvms() + " JVMs patched");

      fleet.killOperator();
      long patchedAtKill = fleet.patchedJvms();
      fleet.startOperator();
      HotPatch ready = fleet.awaitReady();

      assertThat(patchedAtKill).as("killed mid-rollout").isBetween(2L, PODS - 1L);
      fleet.verifyPatchedOnce(ready); // throws unless every JVM was patched exactly once
      assertThat(ready.getStatus().getPatched()).isEqualTo(PODS + "/" + PODS);
      // One pod at a time: no two JVMs were ever redefined at once. Wave numbers may repeat: a pod
      // the killed operator ordered but never recorded reports APPLIED to its successor, which
      // counts it into the wave it is at.
      assertThat(fleet.mostRedefinitionsAtOnce()).as("redefinitions at once").isEqualTo(1);
      System.out.printf(
          "operator killed with %d of %d JVMs patched; its successor finished the rollout%n",
          patchedAtKill, PODS);
    }
  }
}
