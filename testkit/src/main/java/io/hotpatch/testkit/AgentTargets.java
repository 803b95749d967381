package io.hotpatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpatch.core.BuildDiff;
import io.hotpatch.core.Sha256;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.awaitility.Awaitility;

/**
 * Shared kit of the real-JVM agent tests: the built agent jar, target JVMs on Java 11, 17 or
 * Temurin 25, sample builds and bundles diffed as {@code hotpatch diff} does, and load checks.
 */
public final class AgentTargets {
  public static final Path AGENT_JAR =
      Path.of(System.getProperty("hotpatch.agent.jar", "missing-hotpatch-agent.jar"))
          .toAbsolutePath();
  public static final int LOAD_THREADS = 4;

  /** The line of v1's PriceCalculator that truncates the VAT. */
  public static final String BUGGY_LINE =
      "long vat = cents * VAT_PERCENT / 100; // bug: truncates instead of rounding";

  /** The fix of {@link #BUGGY_LINE} through an anonymous class: a class the patch adds. */
  public static final String FIX_WITH_ANONYMOUS_CLASS =
      "long vat = new java.util.function.LongUnaryOperator() {\n"
          + "      public long applyAsLong(long c) { return (c * VAT_PERCENT + 50) / 100; }\n"
          + "    }.applyAsLong(cents);";

  private AgentTargets() {}

  /**
   * The JDK of a target or attacher, or the test is skipped with one line when it is not installed.
   */
  public static Path javaHome(int feature) {
    assertThat(AGENT_JAR).as("agent jar (system property hotpatch.agent.jar)").isRegularFile();
    Optional<Path> home = JavaHomes.find(feature);
    assumeTrue(home.isPresent(), JavaHomes.missing(feature));
    return home.get();
  }

  /**
   * A target on the given JDK. On 21+ it opts in to dynamic agents (JEP 451), as the operator's
   * pods do, so that no warning may appear in its output.
   */
  public static TargetJvm.Builder target(int feature, Path... classpath) {
    TargetJvm.Builder builder =
        TargetJvm.builder()
            .javaHome(javaHome(feature))
            .classpath(classpath)
            .jvmArgs(TestJvmFlags.get().toArray(String[]::new));
    if (feature >= 21) {
      builder.jvmArgs("-XX:+EnableDynamicAgentLoading");
    }
    return builder;
  }

  public static Map<String, byte[]> sample(SampleVersion version, int release) {
    return SampleBuilds.compile(SampleBuilds.sampleSources(version), release);
  }

  /** The sample's sources with one replacement in PriceCalculator, for variants of the fix. */
  public static Map<String, String> sampleVariant(SampleVersion base, String from, String to) {
    Map<String, String> sources = new TreeMap<>(SampleBuilds.sampleSources(base));
    String calculator = sources.get(SampleVersion.PATCHED_CLASS);
    assertThat(calculator).contains(from);
    sources.put(SampleVersion.PATCHED_CLASS, calculator.replace(from, to));
    return sources;
  }

  public static Path jar(Map<String, byte[]> classes, Path dir, String name) {
    try {
      return SampleBuilds.writeJar(classes, Files.createDirectories(dir).resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The bundle {@code hotpatch diff OLD NEW --out} writes, as a user builds it (the same diff, in
   * core, since the tests of the modules below the CLI cannot run it).
   */
  public static Path bundle(
      Map<String, byte[]> before, Map<String, byte[]> after, Path dir, String name) {
    BuildDiff diff = BuildDiff.compare(before, after);
    assertThat(diff.bundleClassCount()).as("classes in bundle %s", name).isPositive();
    try {
      return Files.write(Files.createDirectories(dir).resolve(name + ".jar"), diff.bundle());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String sha256(Path file) {
    try {
      return Sha256.hex(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String price(TargetJvm target) {
    return target.get(SampleVersion.PRICE_PATH);
  }

  /**
   * Waits until the load generator has seen answers after a change, so the change is observed under
   * load.
   */
  public static void awaitAnswer(LoadGenerator load, String body) {
    long since = System.nanoTime();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> load.firstAnswer(body, since) > 0);
  }

  /** Stops the load and checks that no request failed, whatever was patched meanwhile. */
  public static LoadStats assertNoFailedRequests(LoadGenerator load) {
    LoadStats stats = load.stop();
    assertThat(stats.failed()).as("failed requests (first: %s)", stats.firstFailure()).isZero();
    assertThat(stats.ok()).isPositive();
    return stats;
  }

  /** The target printed nothing from the agent: no stack trace, no JEP 451 warning. */
  public static void assertQuietOutput(TargetJvm target) {
    assertThat(target.output()).doesNotContain("Exception", "\tat ", "WARNING", "[hotpatch]");
  }
}
