package io.hotpatch.it;

import static io.hotpatch.it.AgentTargets.AGENT_JAR;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The injected {@code JAVA_TOOL_OPTIONS} reaches every JVM of the container, JDK tools included: the
 * agent starts in applications and stays out of jcmd, keytool and the like (no output, no effect).
 */
class AgentJdkToolsIT {
  /** A startup bundle that does not exist: an agent that starts says so on stderr, in one line. */
  static final Path MISSING_BUNDLE = Path.of("target/it-agent-jdk-tools/missing-bundle.jar").toAbsolutePath();

  @ParameterizedTest(name = "{1} on Java {0}")
  @CsvSource({"17, jcmd -l", "17, keytool -help", "17, jps", "25, jcmd -l", "25, keytool -help", "25, jstack -help"})
  void stayOutOfJdkTools(int feature, String command) throws Exception {
    Path javaHome = AgentTargets.javaHome(feature);
    List<String> line = new ArrayList<>(List.of(command.split(" ")));
    line.set(0, javaHome.resolve("bin").resolve(line.get(0)).toString());

    String output = run(line);

    assertThat(output).contains("Picked up JAVA_TOOL_OPTIONS").doesNotContain("[hotpatch]");
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {17, 25})
  void startsInAnApplicationWithTheSameOptions(int feature) throws Exception {
    Path java = AgentTargets.javaHome(feature).resolve("bin/java");

    String output = run(List.of(java.toString(), "-cp", AGENT_JAR.toString(), "shop.NoSuchMain"));

    assertThat(output).contains("[hotpatch] ", MISSING_BUNDLE.toString());
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_TOOL_OPTIONS", "-XX:+IgnoreUnrecognizedVMOptions -XX:+EnableDynamicAgentLoading"
        + " -javaagent:" + AGENT_JAR + "=bundles=" + MISSING_BUNDLE);
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s ended", command).isTrue();
    return new String(output, StandardCharsets.UTF_8);
  }
}
