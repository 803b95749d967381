package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.price;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.testkit.AgentTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The app's jar is overwritten in place (same path, same file, new content) by the next build while
 * the JVM runs the old code: the agent judges the class the JVM runs, not the file on disk.
 */
class AgentOverwrittenJarIT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = Path.of("target/it-agent-overwritten-jar").toAbsolutePath();
  static final String V1 = SampleVersion.V1_BUGGY.expectedQuote();
  static final String V2 = SampleVersion.V2_HOT_FIX.expectedQuote();
  static final String CHANGED_ON_DISK =
      "checkout.jar changed on disk after the JVM started (or within 1000 ms before)";
  static final Map<String, byte[]> V1_BUILD = AgentTargets.sample(SampleVersion.V1_BUGGY, 17);
  static final Map<String, byte[]> V2_BUILD = AgentTargets.sample(SampleVersion.V2_HOT_FIX, 17);

  @ParameterizedTest(name = "target on Java {0}")
  @ValueSource(ints = {17, 25})
  void appliesTheFixWhenTheFixedBuildOverwroteTheJarOfTheRunningJvm(int feature) throws Exception {
    Path dir = WORK.resolve("fixed-build-" + feature);
    Path fix = AgentTargets.bundle(V1_BUILD, V2_BUILD, dir, "fix");
    Path app = dir.resolve("checkout.jar");
    try (TargetJvm target = runV1ThenOverwriteWithV2(feature, app)) {
      long started = System.nanoTime();
      PatchResult applied = CLIENT.apply(target.pid(), fix, null);
      long applyMillis = (System.nanoTime() - started) / 1_000_000;

      assertThat(applied.getState()).as("%s", applied).isEqualTo(ResultState.APPLIED);
      assertThat(applied.getClasses())
          .singleElement()
          .satisfies(
              c ->
                  assertThat(c.getMessage())
                      .isEqualTo(
                          "hot-applicable; read back from the JVM because "
                              + app
                              + " changed on disk after the JVM started (or within 1000 ms before)"));
      assertThat(price(target)).isEqualTo(V2);
      AgentStatus status = CLIENT.status(target.pid());
      assertThat(status.getPatches())
          .singleElement()
          .satisfies(p -> assertThat(p.getState()).isEqualTo(AppliedPatch.State.APPLIED));
      assertThat(CLIENT.apply(target.pid(), fix, null).getState())
          .isEqualTo(ResultState.ALREADY_APPLIED);
      System.out.printf(
          "apply with the jar overwritten (Java %d): %d ms, attach included%n",
          feature, applyMillis);
    }
  }

  @ParameterizedTest(name = "target on Java {0}")
  @ValueSource(ints = {17, 25})
  void refusesABundleBuiltAgainstTheNewJarAndSaysTheJvmRunsAnotherVersion(int feature)
      throws Exception {
    Path dir = WORK.resolve("bundle-from-disk-" + feature);
    Map<String, byte[]> v2Variant =
        SampleBuilds.compile(
            AgentTargets.sampleVariant(SampleVersion.V2_HOT_FIX, "+ \" EUR\"", "+ \" EUR!\""), 17);
    Path builtAgainstDisk = AgentTargets.bundle(V2_BUILD, v2Variant, dir, "variant");
    try (TargetJvm target = runV1ThenOverwriteWithV2(feature, dir.resolve("checkout.jar"))) {
      PatchResult refused = CLIENT.apply(target.pid(), builtAgainstDisk, null);

      assertThat(refused.getState()).as("%s", refused).isEqualTo(ResultState.PRECONDITION_FAILED);
      assertThat(refused.getMessage())
          .contains(
              "shop.PriceCalculator in loader app is not the version this patch was" + " built for",
              "read back from the JVM because",
              CHANGED_ON_DISK,
              "nothing was changed");
      assertThat(price(target)).isEqualTo(V1);
      assertThat(CLIENT.status(target.pid()).getPatches()).isEmpty();
    }
  }

  /**
   * A target that runs v1 from {@code app}, then the v2 build written over that jar: same path,
   * same inode, as a build tool or {@code cp} does.
   */
  private static TargetJvm runV1ThenOverwriteWithV2(int feature, Path app) throws Exception {
    AgentTargets.jar(V1_BUILD, app.getParent(), app.getFileName().toString());
    TargetJvm target = AgentTargets.target(feature, app).start();
    assertThat(price(target)).isEqualTo(V1);
    Object inode = Files.getAttribute(app, "unix:ino");
    SampleBuilds.writeJar(V2_BUILD, app);
    assertThat(Files.getAttribute(app, "unix:ino")).isEqualTo(inode);
    return target;
  }
}
