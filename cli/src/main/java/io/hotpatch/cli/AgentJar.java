package io.hotpatch.cli;

import java.nio.file.Path;

/**
 * Finds the agent jar: -Dhotpatch.agent.jar, else $HOTPATCH_AGENT_JAR, else next to the built CLI
 * jar.
 */
final class AgentJar {
  static final String PROPERTY = BuiltJar.AGENT.property();

  private AgentJar() {}

  static Path locate() {
    return BuiltJar.AGENT.locate();
  }
}
