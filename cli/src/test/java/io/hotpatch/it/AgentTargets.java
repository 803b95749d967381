package io.hotpatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpatch.cli.HotPatchCli;
import io.hotpatch.core.Sha256;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import picocli.CommandLine;

/**
 * Shared kit of the agent's integration tests: target JVMs on Java 11, 17 or Temurin 25, sample
 * builds and bundles made by the real {@code hotpatch diff}, the sidecar's attacher, and load
 * checks.
 */
final class AgentTargets {
  static final Path AGENT_JAR =
      Path.of(System.getProperty("hotpatch.agent.jar", "missing-hotpatch-agent.jar"))
          .toAbsolutePath();
  static final AgentClient CLIENT = new AgentClient(AGENT_JAR);
  static final int LOAD_THREADS = 4;

  private AgentTargets() {}

  /**
   * The JDK of a target or attacher, or the test is skipped with one line when it is not installed.
   */
  static Path javaHome(int feature) {
    assertThat(AGENT_JAR).as("agent jar (system property hotpatch.agent.jar)").isRegularFile();
    Optional<Path> home = JavaHomes.find(feature);
    assumeTrue(home.isPresent(), JavaHomes.missing(feature));
    return home.get();
  }

  /**
   * A target on the given JDK. On 21+ it opts in to dynamic agents (JEP 451), as the operator's
   * pods do, so that no warning may appear in its output.
   */
  static TargetJvm.Builder target(int feature, Path... classpath) {
    TargetJvm.Builder builder =
        TargetJvm.builder().javaHome(javaHome(feature)).classpath(classpath);
    if (feature >= 21) {
      builder.jvmArgs("-XX:+EnableDynamicAgentLoading");
    }
    return builder;
  }

  static Map<String, byte[]> sample(SampleVersion version, int release) {
    return SampleBuilds.compile(SampleBuilds.sampleSources(version), release);
  }

  /** The sample's sources with one replacement in PriceCalculator, for variants of the fix. */
  static Map<String, String> sampleVariant(SampleVersion base, String from, String to) {
    Map<String, String> sources = new TreeMap<>(SampleBuilds.sampleSources(base));
    String calculator = sources.get(SampleVersion.PATCHED_CLASS);
    assertThat(calculator).contains(from);
    sources.put(SampleVersion.PATCHED_CLASS, calculator.replace(from, to));
    return sources;
  }

  static Path jar(Map<String, byte[]> classes, Path dir, String name) {
    try {
      return SampleBuilds.writeJar(classes, Files.createDirectories(dir).resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A bundle from {@code hotpatch diff OLD NEW --out}, as a user builds it. */
  static Path bundle(Map<String, byte[]> before, Map<String, byte[]> after, Path dir, String name) {
    Path out = dir.resolve(name + ".jar");
    StringWriter output = new StringWriter();
    CommandLine cli = HotPatchCli.newCommandLine();
    cli.setOut(new PrintWriter(output, true));
    cli.setErr(new PrintWriter(output, true));
    int exit =
        cli.execute(
            "diff",
            jar(before, dir, name + "-old.jar").toString(),
            jar(after, dir, name + "-new.jar").toString(),
            "--out",
            out.toString());
    assertThat(exit).as("hotpatch diff: %s", output).isIn(0, 3);
    return out;
  }

  static String sha256(Path file) {
    try {
      return Sha256.hex(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String price(TargetJvm target) {
    return target.get(SampleVersion.PRICE_PATH);
  }

  /**
   * Waits until the load generator has seen answers after a change, so the change is observed under
   * load.
   */
  static void awaitAnswer(LoadGenerator load, String body) {
    long since = System.nanoTime();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> load.firstAnswer(body, since) > 0);
  }

  /** Stops the load and checks that no request failed, whatever was patched meanwhile. */
  static LoadStats assertNoFailedRequests(LoadGenerator load) {
    LoadStats stats = load.stop();
    assertThat(stats.failed()).as("failed requests (first: %s)", stats.firstFailure()).isZero();
    assertThat(stats.ok()).isPositive();
    return stats;
  }

  /** The target printed nothing from the agent: no stack trace, no JEP 451 warning. */
  static void assertQuietOutput(TargetJvm target) {
    assertThat(target.output()).doesNotContain("Exception", "\tat ", "WARNING", "[hotpatch]");
  }
}
