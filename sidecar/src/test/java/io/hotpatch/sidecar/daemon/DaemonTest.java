package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.sample.HostileBundles;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.sidecar.JvmProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop: first poll answered at once, bundles staged before the ready marker, then converge and report once. */
class DaemonTest {
  @TempDir Path dir;

  @Test
  void stagesConvergesAndReportsThenHoldsTheLongPoll() throws Exception {
    byte[] bundle = HostileBundles.ofClass("shop/Price", "Price.java");
    String sha = Sha256.hex(bundle);
    TestingChannel channel = new TestingChannel();
    channel.bundles.put(sha, bundle);
    channel.desired = new DesiredState("7", List.of(new PatchOrder("ns/fix", sha, PatchOrder.Action.APPLY, true)));
    TestingAgent agent = new TestingAgent();
    long self = ProcessHandle.current().pid();
    TargetLocator locator = new TargetLocator(
        () -> List.of(new JvmProcess(self, 0, 0, List.of("java"), "app.jar", "17", false)), dir, "");
    SidecarConfig config = new SidecarConfig(URI.create("https://operator"), "pod", "ns", "", dir, dir, "",
        dir, 30, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Daemon daemon = new Daemon(config, channel, agent, locator, new Log(new PrintStream(out, true), false));

    daemon.step();
    daemon.step();

    assertThat(channel.requests).containsExactly("desired null", "bundle " + sha, "report", "desired 7");
    assertThat(channel.reports).singleElement().satisfies(report -> {
      assertThat(report.getPid()).isEqualTo(self);
      assertThat(report.getOutcomes()).extracting(PatchOutcome::getState, PatchOutcome::getMethod)
          .containsExactly(tuple(ResultState.APPLIED, PatchMethod.HOT));
    });
    assertThat(agent.calls).containsExactly("status " + self, "apply " + self + " 0001-" + sha + ".jar");
    assertThat(dir.resolve("bundles/0001-" + sha + ".jar")).hasBinaryContent(bundle);
    assertThat(Files.readString(config.readyMarker())).isEqualTo("7\n");
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .anyMatch(line -> line.endsWith("INFO  desired revision 7: APPLY=1"))
        .anyMatch(line -> line.contains("INFO  apply ns/fix " + sha + " in pid " + self + ": APPLIED"))
        .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z (INFO |WARN |DEBUG) .*"));
  }
}
