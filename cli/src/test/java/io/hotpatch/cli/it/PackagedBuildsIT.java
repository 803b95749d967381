package io.hotpatch.cli.it;

import static io.hotpatch.testkit.AgentTargets.LOAD_THREADS;
import static io.hotpatch.testkit.AgentTargets.assertNoFailedRequests;
import static io.hotpatch.testkit.AgentTargets.awaitAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.cli.CliRun;
import io.hotpatch.core.Bundle;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.testkit.AgentTargets;
import io.hotpatch.testkit.PackagedBuilds;
import io.hotpatch.testkit.PackagedBuilds.Shape;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The jars users really ship: a Spring Boot fat jar, an executable WAR and a Quarkus fast-jar
 * directory whose two versions differ in one dependency jar. {@code hotpatch diff} finds the change
 * inside the nested jar and the bundle it writes applies live, under load, to the JVM started by
 * the archive's own launcher (which loads the nested jars in its own class loader), without a
 * failed request.
 */
class PackagedBuildsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path WORK = Path.of("target/it-packaged").toAbsolutePath();

  @ParameterizedTest(name = "{0}")
  @EnumSource(Shape.class)
  void aFixInADependencyJarIsDiffedAndAppliedLiveUnderLoad(Shape shape) throws Exception {
    Path dir = WORK.resolve(shape.name());
    Path v1 = PackagedBuilds.pack(shape, SampleVersion.V1_BUGGY, dir, SampleBuilds.TARGET_RELEASE);
    Path v2 =
        PackagedBuilds.pack(shape, SampleVersion.V2_HOT_FIX, dir, SampleBuilds.TARGET_RELEASE);
    Path fix = dir.resolve("fix.jar");

    CliRun diff =
        CliRun.of("diff", v1.toString(), v2.toString(), "--out", fix.toString(), "--json");

    assertThat(diff.exitCode()).as(diff.toString()).isZero();
    JsonNode report = JSON.readTree(diff.out());
    assertThat(report.get("status").asText()).isEqualTo("HOT_APPLICABLE");
    assertThat(Bundle.read(fix.toFile()).getClasses())
        .containsOnlyKeys(SampleVersion.PATCHED_CLASS);

    try (TargetJvm target = start(shape, v1);
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      load.awaitRequests(100);
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());

      CliRun apply =
          CliRun.of("apply", "--pid", Long.toString(target.pid()), fix.toString(), "--json");

      assertThat(apply.exitCode()).as(apply.toString()).isZero();
      JsonNode applied = JSON.readTree(apply.out());
      assertThat(applied.get("status").asText()).isEqualTo("APPLIED");
      assertThat(applied.get("classes").get(0).get("loader").asText())
          .as("the framework's loader, not the app loader")
          .startsWith(
              shape == Shape.QUARKUS_APP ? "Quarkus Runtime ClassLoader@" : "nested-jar-launcher@");
      awaitAnswer(load, SampleVersion.V2_HOT_FIX.expectedQuote());
      load.awaitRequests(100);
      assertThat(assertNoFailedRequests(load).distinctBodies())
          .contains(
              SampleVersion.V1_BUGGY.expectedQuote(), SampleVersion.V2_HOT_FIX.expectedQuote());
      assertThat(target.output()).doesNotContain("\tat ", "WARNING");
    }
  }

  private static TargetJvm start(Shape shape, Path build) {
    Path launcherJar = shape == Shape.QUARKUS_APP ? PackagedBuilds.quarkusRunner(build) : build;
    String launcher =
        shape == Shape.QUARKUS_APP
            ? PackagedBuilds.DIRECTORY_LAUNCHER
            : PackagedBuilds.NESTED_LAUNCHER;
    return AgentTargets.target(17, launcherJar).mainClass(launcher).start();
  }
}
