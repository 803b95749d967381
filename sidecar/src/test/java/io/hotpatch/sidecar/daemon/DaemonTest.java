package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.sidecar.JvmProcess;
import io.hotpatch.testkit.HostileBundles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop: first poll answered at once, bundles staged before the ready marker, then converge and
 * report once; a failing channel changes nothing, and a broken poll makes it ask afresh and report
 * again.
 */
class DaemonTest {
  private static final byte[] BUNDLE = HostileBundles.ofClass("shop/Price", "Price.java");
  private static final String SHA = Sha256.hex(BUNDLE);

  /** The daemon's look at the JVM while the poll is held: short, so that steps come quickly. */
  private static final Duration WATCH = Duration.ofMillis(20);

  @TempDir Path dir;
  final TestingChannel channel = new TestingChannel();
  final TestingAgent agent = new TestingAgent();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final long self = ProcessHandle.current().pid();

  @BeforeEach
  void onePatchDesired() {
    channel.bundles.put(SHA, BUNDLE);
    channel.desired =
        new DesiredState(
            "7", List.of(new PatchOrder("ns/fix", "uid-1", SHA, PatchOrder.Action.APPLY, true)));
  }

  @Test
  void stagesConvergesAndReportsThenHoldsTheLongPoll() throws Exception {
    Daemon daemon = daemon();

    daemon.step();
    daemon.step();

    assertThat(channel.requests)
        .containsExactly("desired null", "bundle " + SHA, "report", "desired 7");
    assertThat(channel.reports)
        .singleElement()
        .satisfies(
            report -> {
              assertThat(report.getPid()).isEqualTo(self);
              assertThat(report.getOutcomes())
                  .extracting(PatchOutcome::getState, PatchOutcome::getMethod)
                  .containsExactly(tuple(ResultState.APPLIED, PatchMethod.HOT));
            });
    assertThat(agent.calls)
        .containsExactly("status " + self, "apply " + self + " 0001-" + SHA + ".jar");
    assertThat(dir.resolve("bundles/0001-" + SHA + ".jar")).hasBinaryContent(BUNDLE);
    assertThat(Files.readString(config().readyMarker())).isEqualTo("7\n");
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .anyMatch(line -> line.endsWith("INFO  desired revision 7: APPLY=1"))
        .anyMatch(
            line -> line.contains("INFO  apply ns/fix " + SHA + " in pid " + self + ": APPLIED"))
        .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z (INFO |WARN |DEBUG) .*"));
  }

  @Test
  void aPodWithNoPatchSendsNoReportAndLeavesItsJvmAlone() throws Exception {
    channel.desired = new DesiredState("6", List.of());
    Daemon daemon = daemon();

    daemon.step();
    daemon.step();
    breakTheLongPoll();
    stepUntil(daemon, () -> channel.requests.size() >= 4);

    assertThat(channel.requests)
        .containsExactly("desired null", "desired 6", "desired null", "desired 6");
    assertThat(agent.calls).as("nothing to apply or revert: the JVM is left alone").isEmpty();
    assertThat(Files.readString(config().readyMarker())).isEqualTo("6\n");
  }

  @Test
  void aFailingChannelKeepsTheStagedBundlesAndTheReportIsSentAgainOnceItAnswers() throws Exception {
    Daemon daemon = daemon();
    daemon.step();
    daemon.step();
    Path staged = dir.resolve("bundles/0001-" + SHA + ".jar");
    assertThat(staged).exists();

    // The leader holding the poll dies; the replica the retries reach does not lead yet.
    channel.unavailable =
        new ChannelException(
            503,
            "this replica is not the leader",
            "GET desired answered HTTP 503: this replica is not the leader",
            Duration.ofSeconds(1));
    channel.held.completeExceptionally(channel.unavailable);
    stepUntil(daemon, () -> desiredRequests() >= 3);
    assertThat(desiredRequests()).as("asked again after the 503").isGreaterThanOrEqualTo(3);
    assertThat(staged).hasBinaryContent(BUNDLE);

    channel.unavailable =
        null; // a replica leads again, with the same desired state but none of the reports
    stepUntil(daemon, () -> channel.reports.size() >= 2);

    assertThat(channel.reports).hasSize(2);
    assertThat(channel.reports.get(1).getOutcomes())
        .extracting(PatchOutcome::getState)
        .containsExactly(ResultState.APPLIED);
    assertThat(staged).hasBinaryContent(BUNDLE);
    assertThat(agent.calls).filteredOn(call -> call.startsWith("apply")).hasSize(1);
  }

  @Test
  void aBrokenLongPollMakesTheSidecarReportAgainToWhicheverOperatorAnswersNext() throws Exception {
    Daemon daemon = daemon();
    daemon.step();
    daemon.step();

    breakTheLongPoll();
    stepUntil(daemon, () -> channel.reports.size() >= 2);

    assertThat(channel.reports).hasSize(2);
    assertThat(channel.reports.get(1).getOutcomes())
        .extracting(PatchOutcome::getState)
        .containsExactly(ResultState.APPLIED);
    assertThat(channel.requests).containsSubsequence("desired 7", "desired null", "report");
    assertThat(agent.calls).filteredOn(call -> call.startsWith("apply")).hasSize(1);
  }

  @Test
  void anOperatorThatTookOverWithoutNamingThePatchLeavesItsStartupBundleUntilItHasHadTheReport()
      throws Exception {
    Daemon daemon = daemon();
    daemon.step();
    daemon.step();
    Path staged = dir.resolve("bundles/0001-" + SHA + ".jar");
    assertThat(staged).hasBinaryContent(BUNDLE);

    // The leader holding the poll dies; the replica that takes over has not reached this pod yet.
    channel.desired = new DesiredState("8", List.of());
    breakTheLongPoll();
    stepUntil(daemon, () -> channel.reports.size() >= 2);

    assertThat(channel.requests).containsSubsequence("desired 7", "desired null", "report");
    // The last report again; the converged answer's names no patch, so it tells nothing and is not
    // sent.
    assertThat(channel.reports).hasSize(2);
    assertThat(channel.reports.get(1).getOutcomes())
        .extracting(PatchOutcome::getPatch, PatchOutcome::getState)
        .containsExactly(tuple("ns/fix", ResultState.APPLIED));
    assertThat(staged).as("kept for the JVM's next start").hasBinaryContent(BUNDLE);

    // Having had the report, the operator still names no patch: its next answer, the long poll
    // coming back unchanged, removes it.
    daemon.step();
    assertThat(channel.requests).last().isEqualTo("desired 8");
    assertThat(staged).exists();
    channel.held.complete(channel.desired);
    daemon.step();

    assertThat(staged).doesNotExist();
    assertThat(agent.calls).filteredOn(call -> call.startsWith("apply")).hasSize(1);
  }

  /** Steps until {@code done}, for at most 10 s: a retry after a failure waits up to a second. */
  private static void stepUntil(Daemon daemon, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
      daemon.step();
    }
  }

  private long desiredRequests() {
    return channel.requests.stream().filter(r -> r.startsWith("desired")).count();
  }

  /** The operator holding the poll goes away, as a restarting or killed one does. */
  private void breakTheLongPoll() {
    channel.held.completeExceptionally(
        new ChannelException("GET desired failed (connection reset)"));
  }

  private SidecarConfig config() {
    return new SidecarConfig(
        URI.create("https://operator"), "pod", "ns", "", dir, dir, "", dir, 30, false);
  }

  private Daemon daemon() {
    TargetLocator locator =
        new TargetLocator(
            () -> List.of(new JvmProcess(self, 0, 0, List.of("java"), "app.jar", "17", false)),
            dir,
            "");
    return new Daemon(
        config(),
        channel,
        agent,
        locator,
        new Log(new PrintStream(out, true), false),
        new LoopbackGet(LoopbackGet.DEFAULT_HOST, LoopbackGet::send),
        WATCH);
  }
}
