package io.hotpatch.sidecar.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.testkit.AgentTargets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * JEP 451 on Temurin 25: a target started with {@code -XX:+EnableDynamicAgentLoading} takes the
 * agent without a word in its output; without the flag the JVM warns, which is why the operator's
 * pods set it.
 */
class AgentJep451IT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = Path.of("target/it-agent-jep451").toAbsolutePath();
  static final String WARNING = "WARNING: A Java agent has been loaded dynamically";

  @Test
  void attachesWithoutAWarningWhenDynamicAgentsAreEnabled() throws Exception {
    Path jar =
        SampleBuilds.sampleJar(SampleVersion.V1_BUGGY, java.nio.file.Files.createDirectories(WORK));
    try (TargetJvm enabled = AgentTargets.target(25, jar).start();
        TargetJvm warned =
            TargetJvm.builder().javaHome(AgentTargets.javaHome(25)).classpath(jar).start()) {
      assertThat(CLIENT.status(enabled.pid()).getJvmVersion()).startsWith("25");
      assertThat(CLIENT.status(warned.pid()).getJvmVersion()).startsWith("25");

      assertThat(enabled.output()).doesNotContain("WARNING");
      assertThat(warned.output()).contains(WARNING);
    }
  }
}
