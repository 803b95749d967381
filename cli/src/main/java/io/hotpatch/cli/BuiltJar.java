package io.hotpatch.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A jar another module of this checkout builds: named by a system property, else an environment
 * variable, else found at its build path beside the built CLI jar.
 */
record BuiltJar(String property, String variable, String module, String fileName) {
  /** The agent the CLI loads into JVMs. */
  static final BuiltJar AGENT =
      new BuiltJar("hotpatch.agent.jar", "HOTPATCH_AGENT_JAR", "agent", "hotpatch-agent.jar");

  /** The Spring Boot sample's fat jar, which {@code hotpatch bench --service spring-boot} runs. */
  static final BuiltJar SPRING_BOOT_SAMPLE =
      new BuiltJar(
          "hotpatch.springboot.jar",
          "HOTPATCH_SPRING_BOOT_JAR",
          "sample-spring-boot",
          "checkout-spring-boot.jar");

  /** The jar's absolute path; a one-line error with the build command when it is missing. */
  Path locate() {
    String configured = System.getProperty(property);
    String source = "-D" + property;
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(variable);
      source = "$" + variable;
    }
    Path jar = configured == null || configured.isBlank() ? besideCliJar() : Path.of(configured);
    if (jar == null || !Files.isRegularFile(jar)) {
      throw CliException.failure(
          (jar == null ? fileName : jar)
              + " not found"
              + (configured == null || configured.isBlank() ? "" : " (from " + source + ")")
              + ": build it with 'mvn -q -B package -pl "
              + module
              + " -am -DskipTests' or set "
              + variable);
    }
    return jar.toAbsolutePath().normalize();
  }

  /**
   * {@code cli/target/hotpatch-cli.jar} -> {@code <module>/target/<fileName>} in the same checkout.
   */
  private Path besideCliJar() {
    try {
      Path cli =
          Path.of(BuiltJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return cli.getParent().resolve("../../" + module + "/target/" + fileName).normalize();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
