package io.hotpatch.cli.it;

import static io.hotpatch.testkit.AgentTargets.AGENT_JAR;
import static io.hotpatch.testkit.AgentTargets.LOAD_THREADS;
import static io.hotpatch.testkit.AgentTargets.assertNoFailedRequests;
import static io.hotpatch.testkit.AgentTargets.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.cli.CliRun;
import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PatchedClass;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.testkit.AgentTargets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Startup mode on Java 17 and Temurin 25 (the first two cases also on Java 11): a schema-changing
 * patch (new field and method), chained with a second bundle built on its output, reaches a freshly
 * started JVM through {@code -javaagent:...=bundles=DIR}; a bad bundle beside them is skipped;
 * later attaches share state; a bundle built for another version leaves its class unpatched and
 * status says so.
 */
class AgentStartupIT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = Path.of("target/it-agent-startup").toAbsolutePath();
  static final String CHAINED_QUOTE = "TOTAL=23.79 EUR (rounded half-up)";

  static Path v1Jar;
  static Path bundles;
  static Path schemaChange;
  static Path chained;

  @BeforeAll
  static void stageBundles() throws IOException {
    Map<String, byte[]> v1 =
        AgentTargets.sample(SampleVersion.V1_BUGGY, SampleBuilds.TARGET_RELEASE);
    Map<String, byte[]> v3 =
        AgentTargets.sample(SampleVersion.V3_SCHEMA_CHANGE, SampleBuilds.TARGET_RELEASE);
    v1Jar = AgentTargets.jar(v1, WORK, "checkout-v1.jar");
    Path built = Files.createDirectories(WORK.resolve("built"));
    schemaChange = AgentTargets.bundle(v1, v3, built, "schema");
    chained =
        AgentTargets.bundle(
            v3,
            SampleBuilds.compile(
                AgentTargets.sampleVariant(
                    SampleVersion.V3_SCHEMA_CHANGE, "\"total=\"", "\"TOTAL=\""),
                SampleBuilds.TARGET_RELEASE),
            built,
            "chained");
    bundles = WORK.resolve("bundles");
    try (Stream<Path> stale = Files.exists(bundles) ? Files.list(bundles) : Stream.empty()) {
      for (Path file : stale.toList()) {
        Files.delete(file);
      }
    }
    Files.createDirectories(bundles);
    // File name order is apply order; a <sha256>.jar name pins the content.
    Files.copy(schemaChange, bundles.resolve("1-" + sha256(schemaChange) + ".jar"));
    Files.copy(chained, bundles.resolve("2-chained.jar"));
    Files.writeString(bundles.resolve("3-broken.jar"), "not a jar", StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {11, 17, 25})
  void substitutesSchemaChangingPatchesAsClassesLoad(int jdk) throws Exception {
    TargetJvm.Builder builder =
        AgentTargets.target(jdk, v1Jar).jvmArgs("-javaagent:" + AGENT_JAR + "=bundles=" + bundles);
    try (TargetJvm target = builder.start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(50);
      assertThat(AgentTargets.price(target)).isEqualTo(CHAINED_QUOTE);

      AgentStatus status = CLIENT.status(target.pid());
      assertThat(status.isLoadedAtStartup()).isTrue();
      assertThat(status.getPatches())
          .extracting(AppliedPatch::getId, AppliedPatch::getMethod)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(sha256(schemaChange), PatchMethod.STARTUP),
              org.assertj.core.groups.Tuple.tuple(sha256(chained), PatchMethod.STARTUP));
      assertThat(status.getPatches())
          .extracting(AppliedPatch::getState)
          .containsExactly(AppliedPatch.State.APPLIED, AppliedPatch.State.APPLIED);
      assertThat(status.getWarnings())
          .singleElement()
          .asString()
          .startsWith(
              "startup bundle skipped: bundle "
                  + bundles.resolve("3-broken.jar")
                  + " is not a jar");

      PatchResult again = CLIENT.apply(target.pid(), schemaChange, sha256(schemaChange));
      assertThat(again.getState()).isEqualTo(ResultState.ALREADY_APPLIED);

      PatchResult undo = CLIENT.revert(target.pid(), sha256(chained));
      assertThat(undo.getState()).as(undo.toString()).isEqualTo(ResultState.REVERTED);
      AgentTargets.awaitAnswer(load, SampleVersion.V3_SCHEMA_CHANGE.expectedQuote());

      PatchResult schemaUndo = CLIENT.revert(target.pid(), sha256(schemaChange));
      assertThat(schemaUndo.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
      assertThat(schemaUndo.getMessage()).contains("restart the JVM without it");

      assertThat(assertNoFailedRequests(load).distinctBodies())
          .containsExactlyInAnyOrder(CHAINED_QUOTE, SampleVersion.V3_SCHEMA_CHANGE.expectedQuote());
      assertThat(target.output())
          .contains(
              "[hotpatch] startup bundle skipped: bundle "
                  + bundles.resolve("3-broken.jar")
                  + " is not a jar")
          .doesNotContain("Exception", "\tat ", "WARNING");
    }
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {11, 17, 25})
  void definesANewInnerClassThatALiveJvmWouldRefuse(int jdk) throws Exception {
    Map<String, String> fixed =
        AgentTargets.sampleVariant(
            SampleVersion.V1_BUGGY, AgentTargets.BUGGY_LINE, AgentTargets.FIX_WITH_ANONYMOUS_CLASS);
    Path nestMembersFix =
        AgentTargets.bundle(
            AgentTargets.sample(SampleVersion.V1_BUGGY, SampleBuilds.TARGET_RELEASE),
            SampleBuilds.compile(fixed, SampleBuilds.TARGET_RELEASE),
            Files.createDirectories(WORK.resolve("nest")),
            "anonymous-class");
    TargetJvm.Builder builder =
        AgentTargets.target(jdk, v1Jar)
            .jvmArgs("-javaagent:" + AGENT_JAR + "=bundles=" + nestMembersFix);
    try (TargetJvm target = builder.start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(50);

      assertThat(AgentTargets.price(target)).isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());
      assertThat(CLIENT.status(target.pid()).getWarnings()).isEmpty();
      assertThat(assertNoFailedRequests(load).distinctBodies())
          .containsExactly(SampleVersion.V2_HOT_FIX.expectedQuote());
      AgentTargets.assertQuietOutput(target);
    }
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {17, 25})
  void aStartupBundleBuiltForAnotherVersionLeavesTheClassUnpatchedAndSaysSo(int jdk)
      throws Exception {
    Map<String, byte[]> v2 =
        AgentTargets.sample(SampleVersion.V2_HOT_FIX, SampleBuilds.TARGET_RELEASE);
    Map<String, byte[]> v2b =
        SampleBuilds.compile(
            AgentTargets.sampleVariant(SampleVersion.V2_HOT_FIX, "\"total=\"", "\"sum=\""),
            SampleBuilds.TARGET_RELEASE);
    Path forV2 =
        AgentTargets.bundle(
            v2, v2b, Files.createDirectories(WORK.resolve("other-version")), "for-v2");
    TargetJvm.Builder builder =
        AgentTargets.target(jdk, v1Jar).jvmArgs("-javaagent:" + AGENT_JAR + "=bundles=" + forV2);
    try (TargetJvm target = builder.start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(50);
      assertThat(AgentTargets.price(target)).isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());

      AppliedPatch patch = CLIENT.status(target.pid()).getPatches().get(0);
      assertThat(patch.getState()).isEqualTo(AppliedPatch.State.NOT_APPLIED);
      assertThat(patch.getClasses())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.getClassName()).isEqualTo(SampleVersion.PATCHED_CLASS);
                assertThat(c.getState()).isEqualTo(PatchedClass.State.SKIPPED);
                assertThat(c.getMessage()).contains("not the version the patch was built for");
              });
      String pid = Long.toString(target.pid());
      CliRun human = CliRun.of("status", "--pid", pid);
      assertThat(human.out())
          .as(human.toString())
          .contains(
              sha256(forV2) + " Startup NOT_APPLIED",
              "  SKIPPED  " + SampleVersion.PATCHED_CLASS + " [app]: not the version",
              "warning: patch "
                  + sha256(forV2).substring(0, 12)
                  + ": "
                  + SampleVersion.PATCHED_CLASS);
      JsonNode json =
          new ObjectMapper().readTree(CliRun.of("status", "--pid", pid, "--json").out());
      assertThat(json.at("/patches/0/state").asText()).isEqualTo("NOT_APPLIED");
      assertThat(json.at("/patches/0/classes/0/state").asText()).isEqualTo("SKIPPED");
      assertThat(json.get("warnings")).hasSize(1);

      PatchResult again = CLIENT.apply(target.pid(), forV2, sha256(forV2));
      assertThat(again.getState()).as(again.toString()).isEqualTo(ResultState.PRECONDITION_FAILED);

      assertThat(assertNoFailedRequests(load).distinctBodies())
          .containsExactly(SampleVersion.V1_BUGGY.expectedQuote());
      assertThat(target.output().lines().filter(line -> line.startsWith("[hotpatch] ")))
          .singleElement()
          .asString()
          .contains(SampleVersion.PATCHED_CLASS, "not the version the patch was built for");
      assertThat(target.output()).doesNotContain("Exception", "\tat ", "WARNING");
    }
  }
}
