package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI looks for the agent jar, and the error when it is missing. */
class AgentJarTest {
  private final String saved = System.getProperty(AgentJar.PROPERTY);

  @TempDir Path dir;

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(AgentJar.PROPERTY);
    } else {
      System.setProperty(AgentJar.PROPERTY, saved);
    }
  }

  @Test
  void theSystemPropertyNamesTheJar() throws Exception {
    Path jar = Files.write(dir.resolve("agent.jar"), new byte[] {1});
    System.setProperty(AgentJar.PROPERTY, jar.toString());

    assertThat(AgentJar.locate()).isEqualTo(jar.toAbsolutePath());
  }

  @Test
  void aMissingAgentJarIsAOneLineErrorWithTheFix() {
    System.setProperty(AgentJar.PROPERTY, dir.resolve("missing.jar").toString());

    CliRun run = CliRun.of("status", "--pid", "1");

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("missing.jar not found (from -Dhotpatch.agent.jar)");
    assertThat(run.err()).contains("mvn -q -B package -pl agent");
  }
}
