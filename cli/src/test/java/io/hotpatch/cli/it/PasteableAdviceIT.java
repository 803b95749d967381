package io.hotpatch.cli.it;

import static io.hotpatch.testkit.AgentTargets.LOAD_THREADS;
import static io.hotpatch.testkit.AgentTargets.assertNoFailedRequests;
import static io.hotpatch.testkit.AgentTargets.awaitAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.cli.CliRun;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.testkit.AgentTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Advice that works when pasted, on the path a user walks: a hot fix applied live, then the next
 * release diffed from the jar the JVM started with (refused, naming the active patch and how to
 * build on it), then diffed from the patched build: not hot-applicable, and the printed startup
 * option, passed as printed to a JVM started from the original jar, runs the new release.
 */
class PasteableAdviceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path WORK = Path.of("target/it-advice").toAbsolutePath();

  @Test
  void afterAHotFixTheRefusalNamesTheActivePatchAndThePrintedStartupOptionRunsAsPasted()
      throws Exception {
    Files.createDirectories(WORK);
    Path v1 = SampleBuilds.sampleJar(SampleVersion.V1_BUGGY, WORK, 17);
    Path v2 = SampleBuilds.sampleJar(SampleVersion.V2_HOT_FIX, WORK, 17);
    Path v3 = SampleBuilds.sampleJar(SampleVersion.V3_SCHEMA_CHANGE, WORK, 17);
    Path fix = WORK.resolve("fix.jar");
    Path fromRelease = WORK.resolve("from-release.jar");
    Path schema = WORK.resolve("schema.jar");
    String fixId =
        JSON.readTree(
                cli(0, "diff", v1.toString(), v2.toString(), "--out", fix.toString(), "--json")
                    .out())
            .get("sha256")
            .asText();
    cli(3, "diff", v1.toString(), v3.toString(), "--out", fromRelease.toString());

    try (TargetJvm target = AgentTargets.target(17, v1).start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      String pid = Long.toString(target.pid());
      cli(0, "apply", "--pid", pid, fix.toString());
      awaitAnswer(load, SampleVersion.V2_HOT_FIX.expectedQuote());

      JsonNode refused =
          JSON.readTree(cli(4, "apply", "--pid", pid, fromRelease.toString(), "--json").out());

      assertThat(refused.get("classes").get(0).get("message").asText())
          .contains(
              "patch " + fixId.substring(0, 12) + " is active on this class",
              "'hotpatch diff PATCHED NEW'",
              "'hotpatch revert " + fixId.substring(0, 12) + "'");
      assertNoFailedRequests(load);
    }

    CliRun next =
        cli(
            3,
            "diff",
            v2.toString(),
            v3.toString(),
            "--on",
            fix.toString(),
            "--out",
            schema.toString());
    String option =
        next.out()
            .lines()
            .filter(line -> line.startsWith("verdict:"))
            .findFirst()
            .orElseThrow()
            .replaceAll(".* restart the JVM with (\\S+) to apply it at startup.*", "$1");

    assertThat(option)
        .isEqualTo(
            JSON.readTree(
                    cli(
                            3,
                            "diff",
                            v2.toString(),
                            v3.toString(),
                            "--on",
                            fix.toString(),
                            "--out",
                            schema.toString(),
                            "--json")
                        .out())
                .get("startupOption")
                .asText());
    assertThat(option).startsWith("-javaagent:/").endsWith("=bundles=" + fix + ":" + schema);
    try (TargetJvm restarted = AgentTargets.target(17, v1).jvmArgs(option).start()) {
      assertThat(restarted.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V3_SCHEMA_CHANGE.expectedQuote());
    }
  }

  private static CliRun cli(int expectedExit, String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(expectedExit);
    return run;
  }
}
