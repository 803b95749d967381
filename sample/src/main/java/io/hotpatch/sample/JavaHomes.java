package io.hotpatch.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The JDKs that target JVMs run on: the current one and, where installed, Java 11 and Temurin 25.
 */
public final class JavaHomes {
  /** Where each extra JDK is installed on Debian: bullseye's OpenJDK 11, Adoptium's Temurin 25. */
  private static final Map<Integer, Path> INSTALLED =
      Map.of(
          11, Path.of("/usr/lib/jvm/java-11-openjdk-amd64"),
          25, Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"));

  private JavaHomes() {}

  public static Path current() {
    return Path.of(System.getProperty("java.home"));
  }

  /**
   * The JDK of that feature release: the current one if it is that release, else the one named by
   * {@code HOTPATCH_JAVA<feature>_HOME} or installed at its Debian path; empty when absent.
   */
  public static Optional<Path> find(int feature) {
    if (featureVersion(current()) == feature) {
      return Optional.of(current());
    }
    String override = System.getenv(variable(feature));
    Path home =
        override != null && !override.isBlank() ? Path.of(override) : INSTALLED.get(feature);
    return home != null && Files.isExecutable(home.resolve("bin/java"))
        ? Optional.of(home)
        : Optional.empty();
  }

  /** Why {@link #find} is empty, in one line, for a test that skips that JDK. */
  public static String missing(int feature) {
    Path path = INSTALLED.get(feature);
    return "Java "
        + feature
        + " is not installed"
        + (path == null ? "" : " at " + path)
        + " (or "
        + variable(feature)
        + "): Java "
        + feature
        + " skipped";
  }

  private static String variable(int feature) {
    return "HOTPATCH_JAVA" + feature + "_HOME";
  }

  /** The feature release (17, 25, ...) of the JDK at {@code home}, read from its release file. */
  public static int featureVersion(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String feature =
              version.startsWith("1.") ? version.substring(2, 3) : version.split("[.+-]")[0];
          return Integer.parseInt(feature);
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // fall through: unknown layout
    }
    return Runtime.version().feature();
  }
}
