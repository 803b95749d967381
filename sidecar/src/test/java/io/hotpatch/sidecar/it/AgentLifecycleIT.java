package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.LOAD_THREADS;
import static io.hotpatch.testkit.AgentTargets.assertNoFailedRequests;
import static io.hotpatch.testkit.AgentTargets.assertQuietOutput;
import static io.hotpatch.testkit.AgentTargets.awaitAnswer;
import static io.hotpatch.testkit.AgentTargets.price;
import static io.hotpatch.testkit.AgentTargets.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.ClassResult;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PatchedClass;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
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
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's life cycle in real target JVMs on Java 17 and Temurin 25 (apply, refusal and stacking
 * also on Java 11), driven by the sidecar's attacher under steady load: dry run, hot apply,
 * idempotence, atomicity, precondition checks, revert, stacking and malformed input, with no failed
 * request and nothing printed in the target; on Java 11, a fix compiled for Java 17 is refused.
 */
class AgentLifecycleIT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = Path.of("target/it-agent-lifecycle").toAbsolutePath();
  static final String V1 = SampleVersion.V1_BUGGY.expectedQuote();
  static final String V2 = SampleVersion.V2_HOT_FIX.expectedQuote();
  static final String V2_VARIANT = "total=23.79 EUR!";

  static Path v1Jar;
  static Path fix;
  static Path schemaChange;
  static Path fixWithSchemaChange;
  static Path variantOfFix;
  static Path notAJar;
  static Path corruptClass;

  @BeforeAll
  static void buildBundles() throws IOException {
    Map<String, byte[]> v1 =
        AgentTargets.sample(SampleVersion.V1_BUGGY, SampleBuilds.TARGET_RELEASE);
    Map<String, byte[]> v2 =
        AgentTargets.sample(SampleVersion.V2_HOT_FIX, SampleBuilds.TARGET_RELEASE);
    v1Jar = AgentTargets.jar(v1, WORK, "checkout-v1.jar");
    fix = AgentTargets.bundle(v1, v2, WORK, "fix");
    schemaChange =
        AgentTargets.bundle(
            v1,
            AgentTargets.sample(SampleVersion.V3_SCHEMA_CHANGE, SampleBuilds.TARGET_RELEASE),
            WORK,
            "schema");
    Map<String, String> fixAndField =
        new TreeMap<>(SampleBuilds.sampleSources(SampleVersion.V2_HOT_FIX));
    fixAndField.put(
        SampleVersion.MAIN_CLASS,
        fixAndField
            .get(SampleVersion.MAIN_CLASS)
            .replace(
                "public final class Checkout {",
                "public final class Checkout {\n  static int served;"));
    fixWithSchemaChange =
        AgentTargets.bundle(
            v1,
            SampleBuilds.compile(fixAndField, SampleBuilds.TARGET_RELEASE),
            WORK,
            "fix-and-field");
    variantOfFix =
        AgentTargets.bundle(
            v2,
            SampleBuilds.compile(
                AgentTargets.sampleVariant(SampleVersion.V2_HOT_FIX, "+ \" EUR\"", "+ \" EUR!\""),
                SampleBuilds.TARGET_RELEASE),
            WORK,
            "variant");
    notAJar =
        Files.writeString(WORK.resolve("not-a-bundle.jar"), "just text", StandardCharsets.UTF_8);
    corruptClass =
        AgentTargets.jar(
            Map.of(SampleVersion.PATCHED_CLASS, new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2}),
            WORK,
            "corrupt.jar");
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {11, 17, 25})
  void checksAppliesAndRevertsAFixUnderLoad(int jdk) throws Exception {
    try (TargetJvm target = AgentTargets.target(jdk, v1Jar).start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(50);
      String id = sha256(fix);

      PatchResult dryRun = CLIENT.check(target.pid(), fix, id);
      assertThat(dryRun.isDryRun()).isTrue();
      assertThat(dryRun.getState()).as(dryRun.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(price(target)).isEqualTo(V1);

      PatchResult applied = CLIENT.apply(target.pid(), fix, id);
      assertThat(applied.getState()).as(applied.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(applied.getPatchId()).isEqualTo(id);
      assertThat(applied.getClasses())
          .extracting(ClassResult::getClassName, ClassResult::getState)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  SampleVersion.PATCHED_CLASS, ResultState.APPLIED));
      awaitAnswer(load, V2);

      assertThat(CLIENT.apply(target.pid(), fix, id).getState())
          .isEqualTo(ResultState.ALREADY_APPLIED);
      AgentStatus status = CLIENT.status(target.pid());
      assertThat(status.isLoadedAtStartup()).isFalse();
      assertThat(status.getJvmVersion()).startsWith(String.valueOf(jdk));
      assertThat(status.getPatches())
          .singleElement()
          .satisfies(
              patch -> {
                assertThat(patch.getId()).isEqualTo(id);
                assertThat(patch.getMethod()).isEqualTo(PatchMethod.HOT);
                assertThat(patch.getState()).isEqualTo(AppliedPatch.State.APPLIED);
                assertThat(patch.getClasses())
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.getClassName()).isEqualTo(SampleVersion.PATCHED_CLASS);
                          assertThat(c.getState()).isEqualTo(PatchedClass.State.PATCHED);
                        });
              });

      PatchResult reverted = CLIENT.revert(target.pid(), id.substring(0, 12));
      assertThat(reverted.getState()).as(reverted.toString()).isEqualTo(ResultState.REVERTED);
      awaitAnswer(load, V1);
      assertThat(CLIENT.status(target.pid()).getPatches()).isEmpty();

      LoadStats stats = assertNoFailedRequests(load);
      assertThat(stats.distinctBodies()).containsExactlyInAnyOrder(V1, V2);
      assertQuietOutput(target);
    }
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {11, 17, 25})
  void refusesChangesALiveJvmCannotTakeAndTouchesNoClass(int jdk) throws Exception {
    try (TargetJvm target = AgentTargets.target(jdk, v1Jar).start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(50);

      PatchResult dryRun = CLIENT.check(target.pid(), schemaChange, null);
      assertThat(dryRun.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
      assertThat(dryRun.getMessage()).contains(SampleVersion.PATCHED_CLASS, "method added");

      PatchResult schema = CLIENT.apply(target.pid(), schemaChange, null);
      assertThat(schema.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
      assertThat(schema.getMessage()).contains("field added", "nothing was changed");

      PatchResult mixed = CLIENT.apply(target.pid(), fixWithSchemaChange, null);
      assertThat(mixed.getState()).as(mixed.toString()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
      assertThat(mixed.getMessage()).contains(SampleVersion.MAIN_CLASS, "field added: int served");
      assertThat(mixed.getClasses())
          .filteredOn(c -> c.getClassName().equals(SampleVersion.PATCHED_CLASS))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
                assertThat(c.getMessage())
                    .isEqualTo("not changed: " + SampleVersion.MAIN_CLASS + " blocked the bundle");
              });

      load.awaitRequests(50);
      assertThat(price(target)).isEqualTo(V1);
      assertThat(CLIENT.status(target.pid()).getPatches()).isEmpty();
      assertThat(assertNoFailedRequests(load).distinctBodies()).containsExactly(V1);
      assertQuietOutput(target);
    }
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {17, 25})
  void refusesABundleBuiltForAnotherVersionOrNotMatchingItsPin(int jdk) throws Exception {
    try (TargetJvm target = AgentTargets.target(jdk, v1Jar).start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(50);

      PatchResult wrongBase = CLIENT.apply(target.pid(), variantOfFix, null);
      assertThat(wrongBase.getState()).isEqualTo(ResultState.PRECONDITION_FAILED);
      assertThat(wrongBase.getMessage())
          .contains(SampleVersion.PATCHED_CLASS, "not the version this patch was built for");

      PatchResult wrongPin = CLIENT.apply(target.pid(), fix, sha256(variantOfFix));
      assertThat(wrongPin.getState()).isEqualTo(ResultState.PRECONDITION_FAILED);
      assertThat(wrongPin.getMessage())
          .contains("does not match the pinned " + sha256(variantOfFix));

      assertThat(price(target)).isEqualTo(V1);
      assertThat(assertNoFailedRequests(load).distinctBodies()).containsExactly(V1);
      assertQuietOutput(target);
    }
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {11, 17, 25})
  void stacksPatchesOnOneClassAndRevertsThemNewestFirst(int jdk) throws Exception {
    try (TargetJvm target = AgentTargets.target(jdk, v1Jar).start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(50);
      String first = sha256(fix);
      String second = sha256(variantOfFix);

      assertThat(CLIENT.apply(target.pid(), fix, first).getState()).isEqualTo(ResultState.APPLIED);
      awaitAnswer(load, V2);
      PatchResult stacked = CLIENT.apply(target.pid(), variantOfFix, second);
      assertThat(stacked.getState()).as(stacked.toString()).isEqualTo(ResultState.APPLIED);
      awaitAnswer(load, V2_VARIANT);

      PatchResult outOfOrder = CLIENT.revert(target.pid(), first);
      assertThat(outOfOrder.getState()).isEqualTo(ResultState.PRECONDITION_FAILED);
      assertThat(outOfOrder.getMessage()).contains("revert " + second.substring(0, 12) + " first");
      assertThat(price(target)).isEqualTo(V2_VARIANT);

      assertThat(CLIENT.revert(target.pid(), second).getState()).isEqualTo(ResultState.REVERTED);
      awaitAnswer(load, V2);
      assertThat(CLIENT.revert(target.pid(), first).getState()).isEqualTo(ResultState.REVERTED);
      awaitAnswer(load, V1);

      assertThat(assertNoFailedRequests(load).distinctBodies())
          .containsExactlyInAnyOrder(V1, V2, V2_VARIANT);
      assertQuietOutput(target);
    }
  }

  @Test
  void refusesAFixCompiledForANewerJavaThanTheTargetRuns() throws Exception {
    Path forJava17 =
        AgentTargets.bundle(
            AgentTargets.sample(SampleVersion.V1_BUGGY, SampleBuilds.TARGET_RELEASE),
            AgentTargets.sample(SampleVersion.V2_HOT_FIX, 17),
            WORK,
            "fix-for-java17");
    try (TargetJvm target = AgentTargets.target(11, v1Jar).start()) {
      assertThat(price(target)).isEqualTo(V1);

      PatchResult refused = CLIENT.apply(target.pid(), forJava17, null);

      assertThat(refused.getState()).isEqualTo(ResultState.FAILED);
      assertThat(refused.getMessage())
          .contains(
              " is compiled for Java 17 (class file version 61), this JVM runs"
                  + " Java 11 and reads up to 55: compile the fix with --release 11")
          .endsWith("nothing was changed");
      assertThat(price(target)).isEqualTo(V1);
      assertThat(CLIENT.status(target.pid()).getPatches()).isEmpty();
      assertQuietOutput(target);
    }
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {17, 25})
  void answersMalformedInputInOneLineAndKeepsTheTargetRunning(int jdk) throws Exception {
    try (TargetJvm target = AgentTargets.target(jdk, v1Jar).start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(50);

      PatchResult notJar = CLIENT.apply(target.pid(), notAJar, null);
      assertThat(notJar.getState()).isEqualTo(ResultState.FAILED);
      assertThat(notJar.getMessage()).contains("not a jar").doesNotContain("\n");

      PatchResult corrupt = CLIENT.apply(target.pid(), corruptClass, null);
      assertThat(corrupt.getState()).isEqualTo(ResultState.FAILED);
      assertThat(corrupt.getMessage()).contains("not a valid class file").doesNotContain("\n");

      PatchResult unknown = CLIENT.revert(target.pid(), "0123abcd");
      assertThat(unknown.getState()).isEqualTo(ResultState.FAILED);
      assertThat(unknown.getMessage())
          .isEqualTo("no active patch 0123abcd: 'hotpatch status' lists the active ones");

      assertThat(CLIENT.status(target.pid()).getPatches()).isEmpty();
      assertThat(price(target)).isEqualTo(V1);
      assertThat(assertNoFailedRequests(load).distinctBodies()).containsExactly(V1);
      assertQuietOutput(target);
    }
  }
}
