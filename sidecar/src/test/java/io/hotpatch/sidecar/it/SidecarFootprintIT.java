package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.daemon.SidecarMain;
import io.hotpatch.testkit.AgentTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test of figures: the idle cost of a real sidecar process that has applied a
 * patch and holds its long poll, with the JVM flags it ships with and, for comparison, with the
 * JVM's defaults. Prints resident memory (VmRSS, split into private RssAnon and RssFile, mapped
 * files such as libjvm and the CDS archive that pods on a node share in the page cache; peak VmHWM)
 * and CPU time over an idle window ({@code -Dhotpatch.bench.idleSeconds}: 10 by default, 60 for the
 * figures in sidecar/README.md); {@code -Dhotpatch.bench.extraFlags="..."} adds a variant with more
 * flags. Asserts only that the sidecar did its job. Kept out of {@code mvn verify}:
 * scripts/bench-sidecar-footprint.sh runs it.
 */
class SidecarFootprintIT {
  static final Path WORK = Path.of("target/it-sidecar-footprint").toAbsolutePath();
  static final Duration IDLE = Duration.ofSeconds(Long.getLong("hotpatch.bench.idleSeconds", 10));

  @Test
  void printsIdleMemoryAndCpu() throws Exception {
    Map<String, byte[]> v1 = AgentTargets.sample(SampleVersion.V1_BUGGY, 17);
    Path v1Jar = AgentTargets.jar(v1, WORK, "checkout-v1.jar");
    Path hotFix =
        AgentTargets.bundle(
            v1,
            AgentTargets.sample(SampleVersion.V2_HOT_FIX, 17),
            Files.createDirectories(WORK.resolve("built")),
            "hot-fix");
    StringBuilder figures =
        new StringBuilder(
            "sidecar idle footprint (Java "
                + Runtime.version().feature()
                + ", "
                + Runtime.getRuntime().availableProcessors()
                + " cores, idle window "
                + IDLE.toSeconds()
                + " s, long poll held):\n");
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("shipped flags", SidecarMain.JVM_FLAGS);
    variants.put("JVM defaults", List.of());
    String extra = System.getProperty("hotpatch.bench.extraFlags", "");
    if (!extra.isBlank()) {
      variants.put(
          "shipped+extra",
          Stream.concat(SidecarMain.JVM_FLAGS.stream(), Stream.of(extra.trim().split("\\s+")))
              .toList());
    }
    int run = 0;
    for (Map.Entry<String, List<String>> flags : variants.entrySet()) {
      figures.append(
          String.format(
              "  %-14s %s%n", flags.getKey(), measure(flags.getValue(), v1Jar, hotFix, ++run)));
    }
    if (!extra.isBlank()) {
      figures.append("  extra flags: ").append(extra).append('\n');
    }
    figures.append("  flags shipped: ").append(String.join(" ", SidecarMain.JVM_FLAGS));
    System.out.println(figures);
  }

  private static String measure(List<String> flags, Path v1Jar, Path hotFix, int run)
      throws Exception {
    String sha = sha256(hotFix);
    try (TestingChannelServer channel = TestingChannelServer.start(WORK)) {
      SidecarPod pod = SidecarPod.create(WORK.resolve("run-" + run), channel);
      channel.serveBundle(sha, Files.readAllBytes(hotFix));
      channel.publish(new PatchOrder("shop/fix", "uid-1", sha, PatchOrder.Action.APPLY, true));
      try (TargetJvm app = pod.app(17, v1Jar).start();
          SidecarProcess sidecar =
              SidecarProcess.start(pod.sidecarEnv(), pod.dir.resolve("sidecar.log"), flags)) {
        pod.awaitReport(
            0,
            report ->
                report.getOutcomes().size() == 1
                    && report.getOutcomes().get(0).getState() == ResultState.APPLIED
                    && report.getOutcomes().get(0).getMethod() == PatchMethod.HOT,
            sidecar);
        assertThat(app.get(SampleVersion.PRICE_PATH))
            .isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());
        Thread.sleep(5_000);
        Duration cpuBefore = sidecar.cpu();
        Thread.sleep(IDLE.toMillis());
        Duration idleCpu = sidecar.cpu().minus(cpuBefore);
        assertThat(sidecar.isAlive()).isTrue();
        return String.format(
            "VmRSS %s (RssAnon %s, RssFile %s), VmHWM %s, threads %s, CPU %d ms in %d s idle"
                + " (%.3f%% of a core), CPU to start and apply %d ms",
            sidecar.status("VmRSS"),
            sidecar.status("RssAnon"),
            sidecar.status("RssFile"),
            sidecar.status("VmHWM"),
            sidecar.status("Threads"),
            idleCpu.toMillis(),
            IDLE.toSeconds(),
            100.0 * idleCpu.toMillis() / IDLE.toMillis(),
            cpuBefore.toMillis());
      }
    }
  }
}
