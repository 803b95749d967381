package io.hotpatch.testkit;

import io.hotpatch.sample.SampleVersion;
import java.nio.file.Path;
import java.util.Map;

/**
 * v1 of the sample as {@code checkout-v1.jar} and the bundle of its hot fix (v1 to v2), both built
 * for one release, for the tests that patch a running v1.
 */
public record SampleHotFix(Path v1Jar, Path bundle) {
  /** Builds both for {@code release} in {@code dir}, the bundle as {@code bundleName}.jar. */
  public static SampleHotFix build(int release, Path dir, String bundleName) {
    Map<String, byte[]> v1 = AgentTargets.sample(SampleVersion.V1_BUGGY, release);
    return new SampleHotFix(
        AgentTargets.jar(v1, dir, "checkout-v1.jar"),
        AgentTargets.bundle(
            v1, AgentTargets.sample(SampleVersion.V2_HOT_FIX, release), dir, bundleName));
  }
}
