package io.hotpatch.sidecar.daemon;

import static io.hotpatch.sidecar.daemon.BundleStoreTest.FIRST;
import static io.hotpatch.sidecar.daemon.BundleStoreTest.FIRST_SHA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init step's gate: waits for the HotPatches the pod was restarted for, bounded, and fails
 * open.
 */
class StartupStagerTest {
  @TempDir Path dir;
  final TestingChannel channel = new TestingChannel();

  @Test
  void withoutExpectedPatchesTheFirstAnswerIsEnough() throws Exception {
    StartupStager.Result result = stager(Duration.ofSeconds(5)).stage(dir);

    assertThat(result).isEqualTo(new StartupStager.Result(0, null));
    assertThat(channel.requests).containsExactly("desired null");
    assertThat(dir.resolve(StartupStager.MISSING_FILE)).doesNotExist();
  }

  @Test
  void waitsUntilTheOperatorPublishesThePatchThePodWasRestartedFor() throws Exception {
    channel.bundles.put(FIRST_SHA, FIRST);
    Channel late =
        new Channel() {
          int polls;

          @Override
          public java.util.concurrent.CompletableFuture<DesiredState> desired(
              String revision, int waitSeconds) {
            if (++polls == 2) {
              channel.desired =
                  new DesiredState(
                      "1",
                      List.of(
                          new PatchOrder(
                              "shop/fix", "uid-1", FIRST_SHA, PatchOrder.Action.APPLY, false)));
            }
            return channel.desired(revision, waitSeconds);
          }

          @Override
          public byte[] bundle(String sha256) throws ChannelException {
            return channel.bundle(sha256);
          }

          @Override
          public void report(io.hotpatch.core.channel.PodReport report) {}
        };
    StartupStager.Result result =
        new StartupStager(
                late,
                new BundleStore(dir.resolve("bundles")),
                new StartupStager.Settings(Duration.ofSeconds(10), Set.of("uid-1")))
            .stage(dir);

    assertThat(result).isEqualTo(new StartupStager.Result(1, null));
    assertThat(dir.resolve("bundles/0001-" + FIRST_SHA + ".jar")).hasBinaryContent(FIRST);
    assertThat(channel.requests)
        .containsExactly("desired null", "desired null", "bundle " + FIRST_SHA);
  }

  @Test
  void failsOpenAfterTheBoundAndRecordsWhy() throws Exception {
    channel.unavailable =
        new ChannelException(
            503, "not the leader", "GET desired answered HTTP 503: not the leader");
    long start = System.nanoTime();

    StartupStager.Result result = stager(Duration.ofMillis(1500)).stage(dir);

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofMillis(1500), Duration.ofSeconds(5));
    assertThat(result.missing())
        .isEqualTo(
            "started without startup bundles: operator unreachable for 1 s (GET"
                + " desired answered HTTP 503: not the leader); patches that need a restart are missing from this JVM"
                + " until its next start");
    assertThat(dir.resolve(StartupStager.MISSING_FILE)).hasContent(result.missing());
    assertThat(channel.requests).hasSize(2);
  }

  @Test
  void failsOpenWhenThePatchThePodWasRestartedForIsNeverPublished() throws Exception {
    StartupStager.Result result =
        new StartupStager(
                channel,
                new BundleStore(dir.resolve("bundles")),
                new StartupStager.Settings(Duration.ofMillis(1200), Set.of("uid-gone")))
            .stage(dir);

    assertThat(result.missing())
        .startsWith(
            "started without startup bundles: HotPatch uid uid-gone not published"
                + " for this pod within 1 s;");
  }

  @Test
  void refusesSettingsOutOfBounds() throws Exception {
    assertThatThrownBy(
            () -> StartupStager.Settings.fromEnv(Map.of("HOTPATCH_STARTUP_WAIT_SECONDS", "301")))
        .hasMessageStartingWith(
            "HOTPATCH_STARTUP_WAIT_SECONDS=301 is not a number of seconds from 0 to 300");
    assertThatThrownBy(
            () -> StartupStager.Settings.fromEnv(Map.of("HOTPATCH_STARTUP_PATCHES", "a,$(x)")))
        .hasMessageStartingWith(
            "HOTPATCH_STARTUP_PATCHES=a,$(x) is not a comma separated list of at most 32");
    assertThat(StartupStager.Settings.fromEnv(Map.of()))
        .isEqualTo(
            new StartupStager.Settings(
                Duration.ofSeconds(StartupStager.DEFAULT_WAIT_SECONDS), Set.of()));
  }

  private StartupStager stager(Duration wait) throws Exception {
    Files.createDirectories(dir);
    return new StartupStager(
        channel,
        new BundleStore(dir.resolve("bundles")),
        new StartupStager.Settings(wait, Set.of()));
  }
}
