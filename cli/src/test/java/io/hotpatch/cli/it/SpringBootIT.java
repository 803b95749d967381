package io.hotpatch.cli.it;

import static io.hotpatch.testkit.AgentTargets.AGENT_JAR;
import static io.hotpatch.testkit.AgentTargets.assertNoFailedRequests;
import static io.hotpatch.testkit.AgentTargets.assertQuietOutput;
import static io.hotpatch.testkit.AgentTargets.awaitAnswer;
import static io.hotpatch.testkit.AgentTargets.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.cli.CliRun;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.testkit.AgentTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spring Boot sample as spring-boot-maven-plugin packaged it (Spring Boot's own loader, nested
 * jars), started with the agent resident as the operator injects it, on Java 17 and Temurin 25: the
 * bundle {@code hotpatch diff} writes from that fat jar and its fixed build applies through the
 * agent's socket under load, and every request is answered; the fixed build, which the bench
 * restarts into, starts and answers the fixed quote.
 */
class SpringBootIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path WORK = Path.of("target/it-spring-boot").toAbsolutePath();
  private static final Path FAT_JAR =
      Path.of(System.getProperty("hotpatch.springboot.jar", "missing-checkout-spring-boot.jar"));
  private static final int LOAD_THREADS = 2;

  static Path v2;
  static Path fix;

  @BeforeAll
  static void diffTheFixedBuild() throws Exception {
    assertThat(FAT_JAR).as("fat jar (system property hotpatch.springboot.jar)").isRegularFile();
    v2 =
        SampleBuilds.springBootJar(
            FAT_JAR, SampleVersion.V2_HOT_FIX, Files.createDirectories(WORK));
    fix = WORK.resolve("fix.jar");

    CliRun diff =
        CliRun.of("diff", FAT_JAR.toString(), v2.toString(), "--out", fix.toString(), "--json");

    assertThat(diff.exitCode()).as(diff.toString()).isZero();
    assertThat(JSON.readTree(diff.out()).get("status").asText()).isEqualTo("HOT_APPLICABLE");
    assertThat(Bundle.read(fix.toFile()).getClasses())
        .containsOnlyKeys(SampleVersion.PATCHED_CLASS);
  }

  /**
   * What the bench restarts into: Spring Boot's loader reads the rewritten fat jar's nested jars.
   */
  @Test
  void theFixedBuildStartsAndAnswersTheFixedQuote() {
    try (TargetJvm target = AgentTargets.target(17).executableJar(v2).start()) {
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());
    }
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {17, 25})
  void theFixAppliesThroughTheResidentAgentsSocketUnderLoad(int jdk) throws Exception {
    Path run = WORK.resolve("run-" + jdk);
    try (TargetJvm target =
            AgentTargets.target(jdk)
                .executableJar(FAT_JAR)
                .jvmArgs("-javaagent:" + AGENT_JAR + "=socket=" + run)
                .start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(100);
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());

      PatchResult applied = new AgentClient(AGENT_JAR).apply(target.pid(), fix, sha256(fix));

      assertThat(applied.getState()).as(applied.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(applied.getPhases()).containsKey("socket").doesNotContainKey("attach");
      assertThat(applied.getClasses().get(0).getLoader())
          .as("Spring Boot's loader, not the app loader")
          .startsWith("org.springframework.boot.loader.launch.LaunchedClassLoader@");
      awaitAnswer(load, SampleVersion.V2_HOT_FIX.expectedQuote());
      load.awaitRequests(100);
      assertThat(assertNoFailedRequests(load).distinctBodies())
          .contains(
              SampleVersion.V1_BUGGY.expectedQuote(), SampleVersion.V2_HOT_FIX.expectedQuote());
      assertThat(target.output()).contains("Started CheckoutApplication");
      assertQuietOutput(target);
    }
  }
}
