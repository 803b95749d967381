package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.LOAD_THREADS;
import static io.hotpatch.testkit.AgentTargets.assertNoFailedRequests;
import static io.hotpatch.testkit.AgentTargets.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.testkit.AgentTargets;
import io.hotpatch.testkit.SampleHotFix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sidecar daemon as a real process beside real app JVMs (Java 17 and Temurin 25), talking HTTPS
 * to a fake operator: a desired patch reaches the JVM under load, survives a sidecar restart
 * without a second redefinition, is in a restarted JVM from its start, and is reverted on order; a
 * tampered bundle and a refused token change nothing.
 */
class SidecarDaemonIT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = Path.of("target/it-sidecar").toAbsolutePath();
  static final String PATCH = "shop/fix-price-rounding";

  static SampleHotFix sample;

  @BeforeAll
  static void buildSampleAndBundle() throws Exception {
    sample = SampleHotFix.build(17, WORK, "hot-fix");
  }

  @ParameterizedTest(name = "app on Java {0}")
  @ValueSource(ints = {17, 25})
  void keepsTheJvmConvergedThroughRestartsOfBothContainers(int jdk) throws Exception {
    String sha = sha256(sample.bundle());
    try (TestingChannelServer channel = TestingChannelServer.start(WORK)) {
      SidecarPod pod = SidecarPod.create(WORK.resolve("converge-" + jdk), channel);
      channel.serveBundle(sha, Files.readAllBytes(sample.bundle()));
      SidecarProcess sidecar = pod.startSidecar();
      try {
        pod.awaitSidecarReady(sidecar);
        long firstStart;
        long appliedAt;
        try (TargetJvm app = pod.app(jdk, sample.v1Jar()).start();
            LoadGenerator load =
                LoadGenerator.start(app.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
          pod.awaitTarget(app.pid(), sidecar);
          load.awaitRequests(50);

          int before = channel.reports().size();
          channel.publish(new PatchOrder(PATCH, "uid-1", sha, PatchOrder.Action.APPLY, true));
          PodReport applied =
              pod.awaitReport(before, outcome(ResultState.APPLIED, PatchMethod.HOT), sidecar);
          AgentTargets.awaitAnswer(load, SampleVersion.V2_HOT_FIX.expectedQuote());
          assertThat(applied.getPid()).isEqualTo(app.pid());
          assertThat(applied.isAgentLoadedAtStartup()).isTrue();
          assertThat(applied.getJvmVersion()).startsWith(Integer.toString(jdk));
          assertThat(pod.bundles().resolve("0001-" + sha + ".jar"))
              .hasSameBinaryContentAs(sample.bundle());
          firstStart = applied.getJvmStartMillis();
          appliedAt = CLIENT.status(app.pid()).getPatches().get(0).getAppliedAtMillis();

          sidecar.close();
          before = channel.reports().size();
          sidecar = pod.startSidecar();
          pod.awaitReport(before, outcome(ResultState.ALREADY_APPLIED, PatchMethod.HOT), sidecar);
          AgentStatus status = CLIENT.status(app.pid());
          assertThat(status.getPatches())
              .singleElement()
              .satisfies(
                  patch -> {
                    assertThat(patch.getId()).isEqualTo(sha);
                    assertThat(patch.getMethod()).isEqualTo(PatchMethod.HOT);
                    assertThat(patch.getAppliedAtMillis())
                        .as("applied once, not again")
                        .isEqualTo(appliedAt);
                  });
          assertThat(sidecar.output()).doesNotContain("apply " + PATCH);

          assertThat(assertNoFailedRequests(load).distinctBodies())
              .containsExactly(
                  SampleVersion.V1_BUGGY.expectedQuote(), SampleVersion.V2_HOT_FIX.expectedQuote());
          assertThat(app.output()).doesNotContain("Exception", "\tat ", "WARNING");
        }

        int before = channel.reports().size();
        try (TargetJvm restarted = pod.app(jdk, sample.v1Jar()).start();
            LoadGenerator load =
                LoadGenerator.start(restarted.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
          assertThat(AgentTargets.price(restarted))
              .isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());
          PodReport atStart =
              pod.awaitReport(
                  before,
                  report ->
                      report.getPid() == restarted.pid()
                          && outcome(ResultState.APPLIED, PatchMethod.STARTUP).test(report),
                  sidecar);
          assertThat(atStart.isAgentLoadedAtStartup()).isTrue();
          assertThat(atStart.getJvmStartMillis()).isGreaterThan(firstStart);
          load.awaitRequests(50);

          before = channel.reports().size();
          channel.publish(new PatchOrder(PATCH, "uid-1", sha, PatchOrder.Action.REVERT, true));
          pod.awaitReport(before, outcome(ResultState.REVERTED, null), sidecar);
          AgentTargets.awaitAnswer(load, SampleVersion.V1_BUGGY.expectedQuote());
          assertThat(CLIENT.status(restarted.pid()).getPatches()).isEmpty();
          assertThat(jarsIn(pod.bundles())).isEmpty();

          assertThat(assertNoFailedRequests(load).distinctBodies())
              .containsExactly(
                  SampleVersion.V2_HOT_FIX.expectedQuote(), SampleVersion.V1_BUGGY.expectedQuote());
          assertThat(restarted.output()).doesNotContain("Exception", "\tat ", "WARNING");
        }
        assertThat(sidecar.output())
            .contains("revert " + PATCH + " " + sha + " in pid")
            .doesNotContain("Exception", "\tat ");
      } finally {
        sidecar.close();
      }
    }
  }

  @Test
  void refusesABundleWhoseBytesDoNotMatchItsPin() throws Exception {
    String sha = sha256(sample.bundle());
    byte[] tampered = Files.readAllBytes(sample.bundle());
    tampered[tampered.length / 2] ^= 1;
    try (TestingChannelServer channel = TestingChannelServer.start(WORK)) {
      SidecarPod pod = SidecarPod.create(WORK.resolve("tampered"), channel);
      channel.serveBundle(sha, tampered);
      try (SidecarProcess sidecar = pod.startSidecar();
          TargetJvm app = pod.app(17, sample.v1Jar()).start();
          LoadGenerator load =
              LoadGenerator.start(app.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
        pod.awaitTarget(app.pid(), sidecar);
        int before = channel.reports().size();
        channel.publish(new PatchOrder(PATCH, "uid-1", sha, PatchOrder.Action.APPLY, true));

        PatchOutcome refused =
            pod.awaitReport(before, outcome(ResultState.FAILED, null), sidecar)
                .getOutcomes()
                .get(0);
        assertThat(refused.getMessage())
            .contains("refused", "not the pinned " + sha, "nothing was redefined");
        assertThat(CLIENT.status(app.pid()).getPatches()).isEmpty();
        assertThat(jarsIn(pod.bundles())).isEmpty();
        assertThat(sidecar.output())
            .contains("WARN  bundle of " + PATCH + " refused")
            .doesNotContain("apply " + PATCH, "Exception", "\tat ");
        assertThat(assertNoFailedRequests(load).distinctBodies())
            .containsExactly(SampleVersion.V1_BUGGY.expectedQuote());
      }
    }
  }

  @Test
  void aRefusedTokenIsLoggedOnceAndTheRotatedTokenIsPickedUp() throws Exception {
    try (TestingChannelServer channel = TestingChannelServer.start(WORK)) {
      SidecarPod pod = SidecarPod.create(WORK.resolve("token"), channel);
      pod.writeToken("forged");
      try (SidecarProcess sidecar = pod.startSidecar()) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> channel.refusals().size() >= 3);
        assertThat(channel.reports()).isEmpty();
        assertThat(sidecar.output().lines().filter(line -> line.contains("answered HTTP 401")))
            .singleElement()
            .asString()
            .contains(
                "answered HTTP 401: token rejected by TokenReview: mount the projected token with"
                    + " audience hotpatch-operator");

        pod.writeToken(TestingChannelServer.TOKEN);
        PodReport report = pod.awaitReport(0, r -> true, sidecar);
        assertThat(report.getPid()).isZero();
        assertThat(report.getMessage())
            .contains("no JVM with HOTPATCH_CONTAINER_NAME=" + pod.container);
        assertThat(sidecar.output())
            .contains("channel works again")
            .doesNotContain("Exception", "\tat ");
      }
    }
  }

  private static Predicate<PodReport> outcome(ResultState state, PatchMethod method) {
    return report ->
        report.getOutcomes().size() == 1
            && report.getOutcomes().get(0).getState() == state
            && report.getOutcomes().get(0).getMethod() == method;
  }

  private static List<Path> jarsIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> file.toString().endsWith(".jar")).toList();
    }
  }
}
