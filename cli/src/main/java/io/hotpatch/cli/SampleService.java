package io.hotpatch.cli;

import io.hotpatch.core.Sha256;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sample checkout service as the demo and the benchmark use it: built jars, started JVMs,
 * bundles. It comes as the demo service (a plain JDK HTTP server compiled here) or as the Spring
 * Boot sample (a fat jar this checkout packages, whose other versions differ in the calculator).
 */
final class SampleService {
  /** Which service; its name is what {@code hotpatch bench --service} takes. */
  enum Kind {
    DEMO("demo", "sample checkout service"),
    SPRING_BOOT("spring-boot", "Spring Boot checkout service (fat jar)");

    private final String cliName;
    private final String title;

    Kind(String cliName, String title) {
      this.cliName = cliName;
      this.title = title;
    }

    String cliName() {
      return cliName;
    }

    String title() {
      return title;
    }

    static Kind named(String name) {
      for (Kind kind : values()) {
        if (kind.cliName.equals(name)) {
          return kind;
        }
      }
      throw CliException.usage(
          "--service " + name + " is not a sample service: pass demo or spring-boot");
    }
  }

  /**
   * A jar in an image is older than any JVM that runs it; a jar written within a second of the
   * JVM's start is one the agent cannot tell from a jar overwritten after it, so it would read
   * every class back from the JVM (a retransformation) instead of trusting the class file.
   */
  private static final long JAR_AGE_MILLIS = 1500;

  private final Path dir;
  private final Kind kind;

  /** The packaged Spring Boot sample; null for the demo service. */
  private final Path fatJar;

  SampleService(Path dir) {
    this(dir, Kind.DEMO);
  }

  SampleService(Path dir, Kind kind) {
    this.dir = dir;
    this.kind = kind;
    this.fatJar = kind == Kind.SPRING_BOOT ? BuiltJar.SPRING_BOOT_SAMPLE.locate() : null;
  }

  Kind kind() {
    return kind;
  }

  /**
   * One version of the service: the demo compiled with javac into a jar; for Spring Boot, v1 is the
   * packaged fat jar and other versions are it with their calculator's class file in its place.
   */
  Path jar(SampleVersion version) {
    return fatJar == null
        ? SampleBuilds.sampleJar(version, dir)
        : SampleBuilds.springBootJar(fatJar, version, dir);
  }

  /** Starts the service from {@code jar} on the current JDK; port 0 picks a free one. */
  TargetJvm start(Path jar, int port, String... jvmArgs) {
    return start(JavaHomes.current(), jar, port, jvmArgs);
  }

  /**
   * Starts the service from {@code jar} on the JDK at {@code javaHome}; port 0 picks a free one.
   * Dynamic agent loading is enabled explicitly, as JDK 21+ warns otherwise (JEP 451).
   */
  TargetJvm start(Path javaHome, Path jar, int port, String... jvmArgs) {
    awaitSettled(jar);
    try {
      Path workDir = Files.createDirectories(dir.resolve("work-" + System.nanoTime()));
      TargetJvm.Builder target =
          TargetJvm.builder()
              .javaHome(javaHome)
              .jvmArgs("-XX:+EnableDynamicAgentLoading")
              .jvmArgs(jvmArgs)
              .port(port)
              .workDir(workDir);
      if (fatJar != null) {
        target.executableJar(jar);
      } else {
        target.classpath(jar).mainClass(SampleVersion.MAIN_CLASS);
      }
      return target.start();
    } catch (IOException e) {
      throw CliException.failure(
          "cannot create a work directory in "
              + dir
              + " ("
              + e.getMessage()
              + "): free some space");
    }
  }

  /**
   * Returns once {@code jar} is as old as one from an image must be, see {@link #JAR_AGE_MILLIS}.
   */
  private static void awaitSettled(Path jar) {
    try {
      long age = System.currentTimeMillis() - Files.getLastModifiedTime(jar).toMillis();
      Durations.sleep(Math.max(0, JAR_AGE_MILLIS - age));
    } catch (IOException e) {
      throw CliException.failure("cannot read " + jar + " (" + e.getMessage() + ")");
    }
  }

  /** A diff and the bundle written for it. */
  record Patch(JarDiff diff, Path bundle, String sha256) {}

  /** Diffs two builds and writes the bundle to {@code name} under the bundles directory. */
  Patch bundle(Path oldJar, Path newJar, String name) {
    JarDiff diff =
        JarDiff.compare(ClassFiles.read(oldJar).classes(), ClassFiles.read(newJar).classes());
    byte[] bytes = diff.bundle();
    try {
      Path bundle = Files.createDirectories(bundles()).resolve(name);
      Files.write(bundle, bytes);
      return new Patch(diff, bundle, Sha256.hex(bytes));
    } catch (IOException e) {
      throw CliException.failure(
          "cannot write a bundle in " + dir + " (" + e.getMessage() + "): free some space");
    }
  }

  /**
   * Waits for the first successful answer {@code body} to a request the load generator sent after
   * {@code fromNanos}, and returns when it arrived (nano time).
   */
  static long awaitAnswer(LoadGenerator load, String body, long fromNanos) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      long at = load.firstAnswer(body, fromNanos);
      if (at > 0) {
        return at;
      }
      Durations.sleep(2);
    }
    throw CliException.failure(
        "the sample service never answered \""
            + body
            + "\" within 30 s: check that the agent jar is built from this checkout ('hotpatch demo' shows each step)");
  }

  /**
   * Where bundles go; a JVM started with {@code -javaagent:...=bundles=<this>} applies them in name
   * order.
   */
  Path bundles() {
    return dir.resolve("bundles");
  }
}
