package io.hotpatch.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the agent jar: -Dhotpatch.agent.jar, else $HOTPATCH_AGENT_JAR, else next to the built CLI
 * jar.
 */
final class AgentJar {
  static final String PROPERTY = "hotpatch.agent.jar";
  static final String VARIABLE = "HOTPATCH_AGENT_JAR";

  private AgentJar() {}

  static Path locate() {
    String configured = System.getProperty(PROPERTY);
    String source = "-D" + PROPERTY;
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(VARIABLE);
      source = "$" + VARIABLE;
    }
    Path jar = configured == null || configured.isBlank() ? besideCliJar() : Path.of(configured);
    if (jar == null || !Files.isRegularFile(jar)) {
      throw CliException.failure(
          "agent jar "
              + (jar == null ? "hotpatch-agent.jar" : jar)
              + " not found"
              + (configured == null || configured.isBlank() ? "" : " (from " + source + ")")
              + ": build it with 'mvn -q -B package -pl agent -am -DskipTests' or set "
              + VARIABLE);
    }
    return jar.toAbsolutePath().normalize();
  }

  /**
   * {@code cli/target/hotpatch-cli.jar} -> {@code agent/target/hotpatch-agent.jar} in the same
   * checkout.
   */
  private static Path besideCliJar() {
    try {
      Path cli =
          Path.of(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return cli.getParent().resolve("../../agent/target/hotpatch-agent.jar").normalize();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
