package io.hotpatch.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The JDKs that target JVMs run on: the current one and, where installed, Temurin 25. */
public final class JavaHomes {
  private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  private JavaHomes() {}

  public static Path current() {
    return Path.of(System.getProperty("java.home"));
  }

  /** Temurin 25, from {@code HOTPATCH_JAVA25_HOME} or its Debian install path; empty when absent. */
  public static Optional<Path> temurin25() {
    String override = System.getenv("HOTPATCH_JAVA25_HOME");
    Path home = override != null && !override.isBlank() ? Path.of(override) : TEMURIN_25;
    return Files.isExecutable(home.resolve("bin/java")) ? Optional.of(home) : Optional.empty();
  }

  /** The feature release (17, 25, ...) of the JDK at {@code home}, read from its release file. */
  public static int featureVersion(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String feature = version.startsWith("1.") ? version.substring(2, 3) : version.split("[.+-]")[0];
          return Integer.parseInt(feature);
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // fall through: unknown layout
    }
    return Runtime.version().feature();
  }
}
