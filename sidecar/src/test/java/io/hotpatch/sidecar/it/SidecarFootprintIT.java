package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.daemon.SidecarMain;
import io.hotpatch.testkit.AgentTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * figures in sidecar/README.md). The sidecar runs on {@code -Dhotpatch.bench.java} (a Java home,
 * this JVM's by default); {@code -Dhotpatch.bench.image} (images/target/stage of
 * scripts/build-images.sh) adds the staged image as it ships: its runtime, class-data archive, jars
 * and entrypoint; {@code -Dhotpatch.bench.extraFlags="..."} adds a variant with more flags. Asserts
 * only that the sidecar did its job. Kept out of {@code mvn verify}:
 * scripts/bench-sidecar-footprint.sh runs it.
 */
class SidecarFootprintIT {
  static final Path WORK = Path.of("target/it-sidecar-footprint").toAbsolutePath();
  static final Duration IDLE = Duration.ofSeconds(Long.getLong("hotpatch.bench.idleSeconds", 10));

  /** One way to run the sidecar: its java, JVM flags and class path. */
  private record Variant(String name, Path java, List<String> flags, String classPath) {}

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
    Path javaHome =
        Path.of(System.getProperty("hotpatch.bench.java", JavaHomes.current().toString()));
    Path java = javaHome.resolve("bin/java");
    StringBuilder figures =
        new StringBuilder(
            "sidecar idle footprint ("
                + Runtime.getRuntime().availableProcessors()
                + " cores, idle window "
                + IDLE.toSeconds()
                + " s, long poll held):\n");
    List<Variant> variants = new ArrayList<>();
    String image = System.getProperty("hotpatch.bench.image", "");
    if (!image.isBlank()) {
      variants.add(staged(Path.of(image)));
    }
    String classPath = SidecarProcess.classPath();
    variants.add(new Variant("shipped flags", java, SidecarMain.JVM_FLAGS, classPath));
    variants.add(new Variant("JVM defaults", java, List.of(), classPath));
    String extra = System.getProperty("hotpatch.bench.extraFlags", "");
    if (!extra.isBlank()) {
      variants.add(
          new Variant(
              "shipped+extra",
              java,
              Stream.concat(SidecarMain.JVM_FLAGS.stream(), Stream.of(extra.trim().split("\\s+")))
                  .toList(),
              classPath));
    }
    int run = 0;
    for (Variant variant : variants) {
      figures.append(
          String.format(
              "  %-14s Java %d: %s%n",
              variant.name(),
              JavaHomes.featureVersion(variant.java().getParent().getParent()),
              measure(variant, v1Jar, hotFix, ++run)));
    }
    if (!extra.isBlank()) {
      figures.append("  extra flags: ").append(extra).append('\n');
    }
    figures.append("  flags shipped: ").append(String.join(" ", SidecarMain.JVM_FLAGS));
    System.out.println(figures);
  }

  /**
   * The staged sidecar image as its entrypoint runs it (stage/sidecar.entrypoint, one argument a
   * line), its /opt paths moved under the stage.
   */
  private static Variant staged(Path stage) throws IOException {
    String root = stage.resolve("sidecar").toAbsolutePath().toString();
    List<String> entrypoint =
        Files.readAllLines(stage.resolve("sidecar.entrypoint")).stream()
            .map(argument -> argument.replace("/opt/", root + "/opt/"))
            .toList();
    int classPath = entrypoint.indexOf("-cp");
    return new Variant(
        "image",
        Path.of(entrypoint.get(0)),
        entrypoint.subList(1, classPath),
        entrypoint.get(classPath + 1));
  }

  private static String measure(Variant variant, Path v1Jar, Path hotFix, int run)
      throws Exception {
    String sha = sha256(hotFix);
    try (TestingChannelServer channel = TestingChannelServer.start(WORK)) {
      SidecarPod pod = SidecarPod.create(WORK.resolve("run-" + run), channel);
      channel.serveBundle(sha, Files.readAllBytes(hotFix));
      channel.publish(new PatchOrder("shop/fix", "uid-1", sha, PatchOrder.Action.APPLY, true));
      try (TargetJvm app = pod.app(17, v1Jar).start();
          SidecarProcess sidecar =
              SidecarProcess.start(
                  variant.java(),
                  variant.classPath(),
                  pod.sidecarEnv(),
                  pod.dir.resolve("sidecar.log"),
                  variant.flags())) {
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
