package io.hotpatch.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.cli.CliRun;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.testkit.AgentTargets;
import io.hotpatch.testkit.TestJvmFlags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code hotpatch} command against real target JVMs under load: apply, dry run, revert, status
 * and jvms with their JSON and exit codes, and bad input that must leave the target untouched.
 */
class CliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path WORK = Path.of("target/it-cli").toAbsolutePath();

  private static Path v1;
  private static Path v2;
  private static Path notJar;
  private static Path fix;
  private static String fixSha;
  private static Path schemaChange;
  private static Path otherVersion;

  @BeforeAll
  static void buildBundles() throws Exception {
    assertThat(Path.of(System.getProperty("hotpatch.agent.jar", "missing")))
        .as("agent jar")
        .isRegularFile();
    Files.createDirectories(WORK);
    v1 = SampleBuilds.sampleJar(SampleVersion.V1_BUGGY, WORK);
    v2 = SampleBuilds.sampleJar(SampleVersion.V2_HOT_FIX, WORK);
    notJar = Files.writeString(WORK.resolve("not-a-bundle.jar"), "hello");
    Path v3 = SampleBuilds.sampleJar(SampleVersion.V3_SCHEMA_CHANGE, WORK);
    fix = WORK.resolve("fix.jar");
    fixSha =
        json(cli(0, "diff", v1.toString(), v2.toString(), "--out", fix.toString(), "--json"))
            .get("sha256")
            .asText();
    schemaChange = WORK.resolve("schema.jar");
    cli(3, "diff", v2.toString(), v3.toString(), "--out", schemaChange.toString());
    // A hot-applicable fix built against v2: its digest check must refuse a JVM running v1.
    Map<String, String> sources =
        new TreeMap<>(SampleBuilds.sampleSources(SampleVersion.V2_HOT_FIX));
    sources.put(
        SampleVersion.PATCHED_CLASS,
        sources.get(SampleVersion.PATCHED_CLASS).replace("\"total=\"", "\"sum=\""));
    Path v2b =
        SampleBuilds.writeJar(SampleBuilds.compile(sources, 17), WORK.resolve("checkout-v2b.jar"));
    otherVersion = WORK.resolve("other-version.jar");
    cli(0, "diff", v2.toString(), v2b.toString(), "--out", otherVersion.toString());
  }

  @ParameterizedTest(name = "target on Java {0}")
  @ValueSource(ints = {17, 25})
  void dryRunApplyStatusRevertUnderLoadWithoutAFailedRequest(int feature) throws Exception {
    try (TargetJvm target = start(feature);
        LoadGenerator load = LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), 4)) {
      load.awaitRequests(200);
      String pid = Long.toString(target.pid());

      JsonNode dryRun = json(cli(0, "apply", "--pid", pid, fix.toString(), "--dry-run", "--json"));
      assertThat(dryRun.get("status").asText()).isEqualTo("WOULD_APPLY");
      assertThat(dryRun.get("classes").get(0).get("state").asText()).isEqualTo("WOULD_APPLY");
      assertThat(dryRun.get("dryRun").asBoolean()).isTrue();
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());

      JsonNode applied =
          json(cli(0, "apply", "--pid", pid, fix.toString(), "--sha256", fixSha, "--json"));
      assertThat(applied.get("status").asText()).isEqualTo("APPLIED");
      assertThat(applied.get("patchId").asText()).isEqualTo(fixSha);
      assertThat(applied.get("classes").get(0).get("name").asText())
          .isEqualTo(SampleVersion.PATCHED_CLASS);
      assertThat(applied.get("classes").get(0).get("state").asText()).isEqualTo("APPLIED");
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());

      CliRun again = cli(0, "apply", "--pid", pid, fix.toString());
      assertThat(again.out()).contains("ALREADY_APPLIED " + fixSha);

      JsonNode status = json(cli(0, "status", "--pid", pid, "--json"));
      assertThat(status.get("patches")).hasSize(1);
      assertThat(status.get("patches").get(0).get("id").asText()).isEqualTo(fixSha);
      assertThat(status.get("patches").get(0).get("method").asText()).isEqualTo("Hot");

      JsonNode refused = json(cli(3, "apply", "--pid", pid, schemaChange.toString(), "--json"));
      assertThat(refused.get("status").asText()).isEqualTo("NOT_HOT_APPLICABLE");
      assertThat(refused.get("classes").get(0).get("message").asText()).contains("field added");
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());

      JsonNode reverted = json(cli(0, "revert", "--pid", pid, fixSha.substring(0, 12), "--json"));
      assertThat(reverted.get("status").asText()).isEqualTo("REVERTED");
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
      assertThat(json(cli(0, "status", "--pid", pid, "--json")).get("patches")).isEmpty();

      load.awaitRequests(200);
      LoadStats stats = load.stop();
      assertThat(stats.failed()).as(stats.firstFailure()).isZero();
      assertThat(stats.distinctBodies())
          .contains(
              SampleVersion.V1_BUGGY.expectedQuote(), SampleVersion.V2_HOT_FIX.expectedQuote());
      assertThat(target.output()).doesNotContain("\tat ", "WARNING");
    }
  }

  @Test
  void jvmsListsTheTargetWithItsJavaVersion() throws Exception {
    try (TargetJvm target = start(17)) {
      JsonNode jvms = json(cli(0, "jvms", "--json")).get("jvms");

      JsonNode row = null;
      for (JsonNode jvm : jvms) {
        row = jvm.get("pid").asLong() == target.pid() ? jvm : row;
      }
      assertThat(row).as(jvms.toString()).isNotNull();
      assertThat(row.get("mainClass").asText()).isEqualTo(SampleVersion.MAIN_CLASS);
      assertThat(row.get("javaVersion").asText()).startsWith("17");
      assertThat(cli(0, "jvms").out()).contains(target.pid() + " ", SampleVersion.MAIN_CLASS);
    }
  }

  @Test
  void badInputGetsAOneLineErrorAndLeavesTheTargetRunningUnchanged() throws Exception {
    Map<String, byte[]> corrupt =
        new TreeMap<>(
            SampleBuilds.compile(SampleBuilds.sampleSources(SampleVersion.V2_HOT_FIX), 17));
    byte[] good = corrupt.get(SampleVersion.PATCHED_CLASS);
    corrupt.put(SampleVersion.PATCHED_CLASS, Arrays.copyOf(good, good.length - 40));
    Path corruptBundle = SampleBuilds.writeJar(corrupt, WORK.resolve("corrupt-bundle.jar"));
    try (TargetJvm target = start(17);
        LoadGenerator load = LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), 4)) {
      load.awaitRequests(200);
      String pid = Long.toString(target.pid());

      cli(1, "apply", "--pid", pid, notJar.toString()).assertOneLineError("not a");
      cli(1, "apply", "--pid", pid, corruptBundle.toString())
          .assertOneLineError("not a valid class file");
      cli(1, "apply", "--pid", "999999", fix.toString())
          .assertOneLineError("no process with pid 999999");
      cli(1, "apply", "--pid", pid, fix.toString(), "--sha256", "0".repeat(64))
          .assertOneLineError("not the pinned");
      cli(2, "apply", "--pid", pid, fix.toString(), "--sha256", "abc")
          .assertOneLineError("is not a sha256");
      cli(2, "apply", fix.toString()).assertOneLineError("--pid");
      JsonNode otherBuild = json(cli(4, "apply", "--pid", pid, otherVersion.toString(), "--json"));
      assertThat(otherBuild.get("status").asText()).isEqualTo("PRECONDITION_FAILED");

      assertThat(target.isAlive()).isTrue();
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
      assertThat(json(cli(0, "status", "--pid", pid, "--json")).get("patches")).isEmpty();
      LoadStats stats = load.stop();
      assertThat(stats.failed()).as(stats.firstFailure()).isZero();
      assertThat(stats.distinctBodies()).containsExactly(SampleVersion.V1_BUGGY.expectedQuote());
      assertThat(target.output()).doesNotContain("\tat ");
    }
  }

  @Test
  void theCliJarRunsAsAProcessWithExitCodesAndOneLineErrors() throws Exception {
    Path cliJar = Path.of("target/hotpatch-cli.jar").toAbsolutePath();
    assertThat(cliJar).isRegularFile();

    Process badInput = javaJar(cliJar, "diff", notJar.toString(), v1.toString());
    Process fixDiff = javaJar(cliJar, "diff", v1.toString(), v2.toString(), "--json");

    assertThat(exit(badInput)).isEqualTo(1);
    assertThat(new String(badInput.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines())
        .singleElement()
        .asString()
        .startsWith("hotpatch: ")
        .contains("is not a jar");
    assertThat(exit(fixDiff)).isZero();
    assertThat(JSON.readTree(fixDiff.getInputStream()).get("sha256").asText()).isEqualTo(fixSha);
  }

  private static Process javaJar(Path jar, String... args) throws Exception {
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(
                JavaHomes.current().resolve("bin/java").toString(), "-jar", jar.toString()));
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command).start();
  }

  private static int exit(Process process) throws InterruptedException {
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  static TargetJvm start(int feature) {
    return TargetJvm.builder()
        .javaHome(AgentTargets.javaHome(feature))
        .classpath(v1)
        .jvmArgs(TestJvmFlags.get().toArray(String[]::new))
        .jvmArgs("-XX:+EnableDynamicAgentLoading")
        .start();
  }

  static CliRun cli(int expectedExit, String... args) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(expectedExit);
    return run;
  }

  static JsonNode json(CliRun run) throws Exception {
    return JSON.readTree(run.out());
  }
}
