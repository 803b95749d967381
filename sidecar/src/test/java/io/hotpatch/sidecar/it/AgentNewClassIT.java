package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.LOAD_THREADS;
import static io.hotpatch.testkit.AgentTargets.assertNoFailedRequests;
import static io.hotpatch.testkit.AgentTargets.assertQuietOutput;
import static io.hotpatch.testkit.AgentTargets.awaitAnswer;
import static io.hotpatch.testkit.AgentTargets.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.hotpatch.core.ClassResult;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.testkit.AgentTargets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fix that brings a new anonymous inner class: compiled for Java 8 (no nest attributes) it
 * applies live, the new class defined in the application's loader first; compiled for 17 it is not
 * hot-applicable. Targets on Java 17 and Temurin 25 (the live definition also on Java 11), under
 * load.
 */
class AgentNewClassIT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = Path.of("target/it-agent-new-class").toAbsolutePath();
  static final String ANONYMOUS = SampleVersion.PATCHED_CLASS + "$1";

  static Path v1Jar;
  static Path java8Fix;
  static Path java17Fix;

  @BeforeAll
  static void buildBundles() {
    Map<String, String> fixed =
        AgentTargets.sampleVariant(
            SampleVersion.V1_BUGGY, AgentTargets.BUGGY_LINE, AgentTargets.FIX_WITH_ANONYMOUS_CLASS);
    Map<String, byte[]> v1 = AgentTargets.sample(SampleVersion.V1_BUGGY, 8);
    v1Jar = AgentTargets.jar(v1, WORK, "checkout-v1-java8.jar");
    java8Fix = AgentTargets.bundle(v1, SampleBuilds.compile(fixed, 8), WORK, "fix-java8");
    java17Fix =
        AgentTargets.bundle(
            AgentTargets.sample(SampleVersion.V1_BUGGY, 17),
            SampleBuilds.compile(fixed, 17),
            WORK,
            "fix-java17");
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {11, 17, 25})
  void definesTheNewClassAndRedefinesItsUserUnderLoad(int jdk) throws Exception {
    try (TargetJvm target = AgentTargets.target(jdk, v1Jar).start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(50);
      String id = sha256(java8Fix);

      PatchResult applied = CLIENT.apply(target.pid(), java8Fix, id);
      assertThat(applied.getState()).as(applied.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(applied.getClasses())
          .extracting(ClassResult::getClassName, ClassResult::getState)
          .containsExactlyInAnyOrder(
              tuple(SampleVersion.PATCHED_CLASS, ResultState.APPLIED),
              tuple(ANONYMOUS, ResultState.APPLIED));
      awaitAnswer(load, SampleVersion.V2_HOT_FIX.expectedQuote());

      assertThat(CLIENT.revert(target.pid(), id).getState()).isEqualTo(ResultState.REVERTED);
      awaitAnswer(load, SampleVersion.V1_BUGGY.expectedQuote());

      // The new class stays defined after a revert; applying again reuses it.
      PatchResult again = CLIENT.apply(target.pid(), java8Fix, id);
      assertThat(again.getState()).as(again.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(again.getClasses())
          .extracting(ClassResult::getClassName, ClassResult::getState)
          .contains(tuple(ANONYMOUS, ResultState.ALREADY_APPLIED));
      awaitAnswer(load, SampleVersion.V2_HOT_FIX.expectedQuote());

      assertNoFailedRequests(load);
      assertQuietOutput(target);
    }
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {17, 25})
  void refusesTheSameFixCompiledWithNestAttributes(int jdk) throws Exception {
    Path v1Java17 =
        AgentTargets.jar(
            AgentTargets.sample(SampleVersion.V1_BUGGY, 17), WORK, "checkout-v1-java17.jar");
    try (TargetJvm target = AgentTargets.target(jdk, v1Java17).start()) {
      assertThat(AgentTargets.price(target)).isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());

      PatchResult refused = CLIENT.apply(target.pid(), java17Fix, null);

      assertThat(refused.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
      assertThat(refused.getMessage()).contains("NestHost/NestMembers");
      assertThat(AgentTargets.price(target)).isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
      assertQuietOutput(target);
    }
  }
}
