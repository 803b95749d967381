package io.hotpatch.bench;

import io.hotpatch.sample.JavaHomes;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that pick the operator a command runs: its jar and its JDK (a picocli mixin). */
public final class OperatorOptions {
  @Option(
      names = "--operator-jar",
      paramLabel = "JAR",
      description =
          "The operator's quarkus-run.jar (default: operator/target/quarkus-app/quarkus-run.jar).")
  Path jar =
      Path.of(
          System.getProperty(
              "hotpatch.operator.jar", "operator/target/quarkus-app/quarkus-run.jar"));

  @Option(
      names = "--operator-java-home",
      paramLabel = "DIR",
      description =
          "JDK that runs the operator (default: Temurin 25 when installed, as in the image; else this JVM's).")
  Path javaHome = JavaHomes.find(25).orElse(JavaHomes.current());

  public Path jar() {
    return jar.toAbsolutePath();
  }

  public Path javaHome() {
    return javaHome;
  }
}
