package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.testkit.AgentTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The restart path's gate with real processes: the webhook's init step ({@code --install-agent})
 * holds the app until the operator has published the HotPatch the pod was restarted for and its
 * bundle is staged, so a schema change is live in the JVM from its start; with the operator down it
 * lets the app start after its bound, and the sidecar's report says the bundles were missing.
 */
class SidecarStartupIT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = Path.of("target/it-sidecar-startup").toAbsolutePath();
  static final String PATCH = "shop/add-rounding-mode";
  static final String HOTPATCH_UID = "6a1f0c2e-5b7d-4e8a-9c3f-1d2e3f4a5b6c";

  /** Long enough for the init step's first TLS handshake on a busy machine (under -Xint). */
  static final int BOUND_SECONDS = 8;

  /** With the operator down the init step waits out its bound: long enough for two requests. */
  static final int DOWN_BOUND_SECONDS = 5;

  static Path v1Jar;
  static Path schemaChange;

  @BeforeAll
  static void buildSampleAndBundle() throws Exception {
    Map<String, byte[]> v1 =
        AgentTargets.sample(SampleVersion.V1_BUGGY, SampleBuilds.TARGET_RELEASE);
    v1Jar = AgentTargets.jar(v1, WORK, "checkout-v1.jar");
    schemaChange =
        AgentTargets.bundle(
            v1,
            AgentTargets.sample(SampleVersion.V3_SCHEMA_CHANGE, SampleBuilds.TARGET_RELEASE),
            Files.createDirectories(WORK.resolve("built")),
            "schema");
  }

  @Test
  void theAppStartsOnlyOnceTheLateOperatorsSchemaChangeIsStaged() throws Exception {
    String sha = sha256(schemaChange);
    try (TestingChannelServer channel = TestingChannelServer.start(WORK)) {
      SidecarPod pod = SidecarPod.create(WORK.resolve("late"), channel);
      channel.serveBundle(sha, Files.readAllBytes(schemaChange));
      long started = System.nanoTime();
      try (SidecarProcess init = pod.startInit(60, HOTPATCH_UID)) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> desiredRequests(channel) >= 1);
        System.out.printf(
            "init step: first request after %d ms (JVM start, agent copy, TLS handshake)%n",
            Duration.ofNanos(System.nanoTime() - started).toMillis());
        // The operator has not reconciled the new pod yet: it answers, but without the patch.
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .failFast(
                "the init step exited before the patch was published: " + init.output(),
                () -> !init.isAlive())
            .until(() -> desiredRequests(channel) >= 3);
        System.out.printf(
            "init step: %d ms of CPU for JVM start, agent copy, TLS handshake and %d polls%n",
            init.cpu().toMillis(), desiredRequests(channel));
        long publishedAt = System.nanoTime();
        channel.publish(new PatchOrder(PATCH, HOTPATCH_UID, sha, PatchOrder.Action.APPLY, false));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !init.isAlive());
        assertThat(init.exitValue()).as(init.output()).isZero();
        assertThat(init.output())
            .contains("staged 1 startup bundle(s)")
            .doesNotContain("Exception");
        System.out.printf(
            "init step: held until the patch was published, exited %d ms after it%n",
            Duration.ofNanos(System.nanoTime() - publishedAt).toMillis());
      }
      assertThat(pod.bundles().resolve("0001-" + sha + ".jar"))
          .hasSameBinaryContentAs(schemaChange);
      assertThat(pod.hotpatchDir.resolve("startup-missing")).doesNotExist();

      // kubelet starts the app container only now; the native sidecar beside it.
      SidecarProcess sidecar = pod.startSidecar();
      try (TargetJvm app = pod.app(17, v1Jar).start()) {
        assertThat(AgentTargets.price(app))
            .isEqualTo(SampleVersion.V3_SCHEMA_CHANGE.expectedQuote());
        assertThat(CLIENT.status(app.pid()).getPatches())
            .extracting(AppliedPatch::getId, AppliedPatch::getMethod)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(sha, PatchMethod.STARTUP));
        PodReport report =
            pod.awaitReport(0, r -> r.getPid() == app.pid() && !r.getOutcomes().isEmpty(), sidecar);
        assertThat(report.getOutcomes())
            .singleElement()
            .satisfies(
                outcome -> {
                  assertThat(outcome.getState()).isEqualTo(ResultState.APPLIED);
                  assertThat(outcome.getMethod()).isEqualTo(PatchMethod.STARTUP);
                });
        assertThat(report.getMessage()).isEmpty();
      } finally {
        sidecar.close();
      }
    }
  }

  @Test
  void withTheOperatorDownTheAppStartsAfterTheBoundAndTheReportSaysTheBundlesWereMissing()
      throws Exception {
    String sha = sha256(schemaChange);
    try (TestingChannelServer channel = TestingChannelServer.start(WORK)) {
      SidecarPod pod = SidecarPod.create(WORK.resolve("down"), channel);
      channel.serveBundle(sha, Files.readAllBytes(schemaChange));
      channel.down(true);
      long started = System.nanoTime();
      try (SidecarProcess init = pod.startInit(DOWN_BOUND_SECONDS, HOTPATCH_UID)) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(DOWN_BOUND_SECONDS + 20))
            .until(() -> !init.isAlive());
        Duration held = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf(
            "init step with the operator down: exited after %d ms (bound %d s)%n",
            held.toMillis(), DOWN_BOUND_SECONDS);
        assertThat(init.exitValue()).as(init.output()).isZero();
        // The bound, plus the init step's own JVM start and agent copy.
        assertThat(held)
            .isBetween(
                Duration.ofSeconds(DOWN_BOUND_SECONDS),
                Duration.ofSeconds(DOWN_BOUND_SECONDS + 15));
        assertThat(init.output())
            .contains("started without startup bundles: operator unreachable for ");
      }
      assertThat(channel.requests()).as("retried within the bound").hasSizeGreaterThanOrEqualTo(2);
      assertThat(pod.hotpatchDir.resolve("startup-missing"))
          .content()
          .startsWith("started without startup bundles: operator unreachable for ")
          .contains("answered HTTP 503: the operator is down");

      try (TargetJvm app = pod.app(17, v1Jar).start()) {
        assertThat(AgentTargets.price(app)).isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
        // The operator is back and publishes the patch (Auto mode: hot allowed, which the agent
        // refuses).
        channel.down(false);
        channel.publish(new PatchOrder(PATCH, HOTPATCH_UID, sha, PatchOrder.Action.APPLY, true));
        SidecarProcess sidecar = pod.startSidecar();
        try {
          PodReport report =
              pod.awaitReport(
                  0, r -> r.getPid() == app.pid() && !r.getOutcomes().isEmpty(), sidecar);
          PatchOutcome outcome = report.getOutcomes().get(0);
          assertThat(outcome.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
          assertThat(outcome.getMessage())
              .startsWith("started without startup bundles: operator unreachable");
          assertThat(report.getMessage())
              .startsWith("started without startup bundles: operator unreachable");
          assertThat(AgentTargets.price(app)).isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
        } finally {
          sidecar.close();
        }
      }
    }
  }

  private static long desiredRequests(TestingChannelServer channel) {
    return channel.requests().stream().filter(request -> request.endsWith("/desired")).count();
  }
}
