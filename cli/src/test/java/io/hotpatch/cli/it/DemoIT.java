package io.hotpatch.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.cli.CliRun;
import io.hotpatch.sample.SampleVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code hotpatch demo} end to end and checks what it really observed, and that it cleaned up.
 */
class DemoIT {
  @Test
  void hotFixWithoutFailedRequestsThenSchemaChangeThroughTheStartupFallback() throws Exception {
    List<String> demoDirsBefore = demoTempDirs();

    CliRun run = CliRun.of("demo", "--json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode figures = new ObjectMapper().readTree(run.out());
    assertThat(figures.get("buggyResponse").asText())
        .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
    assertThat(figures.get("hotApplyState").asText()).isEqualTo("APPLIED");
    assertThat(figures.get("hotFixedResponse").asText())
        .isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());
    assertThat(figures.get("hotFailedRequests").asLong()).isZero();
    assertThat(figures.get("hotPhases").has("socket"))
        .as("hot fix through the resident agent's socket")
        .isTrue();
    assertThat(figures.get("attachApplyMillis").asLong()).isPositive();
    assertThat(figures.get("hotRequests").asLong()).isPositive();
    assertThat(figures.get("schemaChangeState").asText()).isEqualTo("NOT_HOT_APPLICABLE");
    assertThat(figures.get("schemaChangeReasons").toString())
        .contains("field added", "method added");
    assertThat(figures.get("restartedResponse").asText())
        .isEqualTo(SampleVersion.V3_SCHEMA_CHANGE.expectedQuote());
    assertThat(figures.get("startupPatchMethods").toString())
        .isEqualTo("[\"Startup\",\"Startup\"]");
    assertThat(run.err()).contains("[1/9]", "[9/9]");
    for (JsonNode pid : figures.get("targetPids")) {
      assertThat(ProcessHandle.of(pid.asLong()).filter(ProcessHandle::isAlive))
          .as("target " + pid)
          .isEmpty();
    }
    assertThat(demoTempDirs()).isEqualTo(demoDirsBefore);
  }

  private static List<String> demoTempDirs() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("hotpatch-demo"))
          .sorted()
          .toList();
    }
  }
}
