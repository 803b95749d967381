package io.hotpatch.bench.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.bench.Fleet;
import io.hotpatch.bench.OperatorProcess;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's default install, two operator replicas behind one Service, attacked by its own
 * balancer: sidecars land on either replica, and the leader is killed (SIGKILL) mid-rollout.
 */
class TwoReplicasSplitChannelIT {
  private static final Path WORK = Path.of("target", "hostile-it", "two-replicas").toAbsolutePath();
  private static final int PODS = 8;
  private static final Duration STEP = Duration.ofSeconds(60);

  @Test
  void twoReplicasBehindARoundRobinBalancerWithTheLeaderKilledMidRollout() throws Exception {
    deleteRecursively(
        WORK); // bundles left by an earlier run would be removed, rightly, by the first sync
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Fleet.Settings settings = Fleet.Settings.local(PODS, Duration.ofMillis(300), "1", WORK);
    try (Fleet fleet =
        Fleet.create(settings, new PrintStream(progress, true, StandardCharsets.UTF_8))) {
      List<OperatorProcess> replicas = fleet.startReplicas(2);
      try (RoundRobinProxy service =
              RoundRobinProxy.start(replicas.stream().map(OperatorProcess::channelUrl).toList());
          StagedBundleWatch staged =
              StagedBundleWatch.watch(
                  fleet.podNames().stream()
                      .map(pod -> fleet.podDir(pod).resolve("bundles"))
                      .toList())) {
        fleet.connectSidecars(service.url());
        fleet.createHotPatch();
        Fleet.await(
            STEP, () -> fleet.patchedJvms() >= 2, () -> fleet.patchedJvms() + " JVMs patched");

        OperatorProcess leader = fleet.leader(STEP);
        leader.kill();
        long patchedAtKill = fleet.patchedJvms();
        HotPatch ready = fleet.awaitReady(STEP);

        assertThat(patchedAtKill).as("killed mid-rollout").isBetween(2L, PODS - 1L);
        fleet.verifyPatchedOnce(ready); // throws unless every JVM was patched exactly once
        assertThat(ready.getStatus().getPatched()).isEqualTo(PODS + "/" + PODS);
        assertThat(staged.deleted()).as("staged startup bundles deleted").isEmpty();
        assertThat(fleet.podNames())
            .allSatisfy(
                pod ->
                    assertThat(fleet.podDir(pod).resolve("bundles"))
                        .isDirectoryContaining("regex:.*/0001-[0-9a-f]{64}\\.jar"));
        System.out.printf(
            "two replicas, %d sidecars over %d balanced connections: leader %s killed with %d JVMs"
                + " patched; the other replica finished the rollout%n",
            PODS, service.connections(), leader.identity(), patchedAtKill);
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(path);
        }
      }
    }
  }
}
