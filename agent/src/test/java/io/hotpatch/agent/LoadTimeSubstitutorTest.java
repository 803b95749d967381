package io.hotpatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.agent.fixture.NeverLoaded;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.PatchedClass;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load-time substitution and startup bundles: chaining, digest checks, per-class outcomes and
 * skipped bundles.
 */
class LoadTimeSubstitutorTest {
  private static final String NAME = NeverLoaded.class.getName();
  private static final String INTERNAL_NAME = NAME.replace('.', '/');
  private static final byte[] V1 = ClassFiles.of(NeverLoaded.class);
  private static final byte[] V2 = ClassFiles.withString(V1, "never loaded", "v2");
  private static final byte[] V3 = ClassFiles.withString(V2, "v2", "v3");

  private final PatchRegistry registry = new PatchRegistry();
  private final LoadTimeSubstitutor transformer =
      new LoadTimeSubstitutor(registry, new ClassDefiner(null));

  @TempDir Path dir;

  @Test
  void substitutesStartupBundlesInOrderEachOnTheOutputOfTheOneBefore() throws IOException {
    register(new ClassFiles.BundleBuilder().changed(NAME, V1, V2).jar(), "1.jar");
    register(new ClassFiles.BundleBuilder().changed(NAME, V2, V3).jar(), "2.jar");

    byte[] loaded =
        transformer.transform(getClass().getClassLoader(), INTERNAL_NAME, null, null, V1);

    assertThat(loaded).isEqualTo(V3);
    assertThat(registry.patches())
        .allSatisfy(
            patch -> {
              assertThat(patch.copies()).hasSize(1);
              assertThat(patch.toAppliedPatch().getState()).isEqualTo(AppliedPatch.State.APPLIED);
            });
  }

  @Test
  void leavesAClassThatIsNotTheExpectedOriginalAndSaysSo() throws IOException {
    register(new ClassFiles.BundleBuilder().changed(NAME, V2, V3).jar(), "1.jar");

    assertThat(transformer.transform(getClass().getClassLoader(), INTERNAL_NAME, null, null, V1))
        .isNull();
    assertThat(registry.warnings())
        .singleElement()
        .asString()
        .contains(NAME, "not the version the patch was built for");
    AppliedPatch status = registry.patches().get(0).toAppliedPatch();
    assertThat(status.getState()).isEqualTo(AppliedPatch.State.NOT_APPLIED);
    assertThat(status.getClasses())
        .extracting(PatchedClass::getState)
        .containsExactly(PatchedClass.State.SKIPPED);
  }

  @Test
  void ignoresUnrelatedClassesAndRedefinitions() throws IOException {
    register(new ClassFiles.BundleBuilder().changed(NAME, V1, V2).jar(), "1.jar");

    assertThat(transformer.transform(null, "java/lang/Unrelated", null, null, V1)).isNull();
    assertThat(transformer.transform(null, INTERNAL_NAME, NeverLoaded.class, null, V1)).isNull();
  }

  @Test
  void neverThrowsOnACorruptClassFile() throws IOException {
    register(new ClassFiles.BundleBuilder().changed(NAME, V1, V2).jar(), "1.jar");

    assertThat(transformer.transform(null, INTERNAL_NAME, null, null, new byte[] {1, 2, 3}))
        .isNull();
    assertThat(registry.warnings()).singleElement().asString().contains("left unpatched");
  }

  @Test
  void skipsBadStartupBundlesAndBundlesWhoseNamePinsAnotherSha256() throws Exception {
    byte[] good = new ClassFiles.BundleBuilder().changed(NAME, V1, V2).jar();
    write("b.jar", "not a jar".getBytes("UTF-8"));
    write("c.jar", good);
    write(repeat('a', 64) + ".jar", good);

    String problems = "";
    for (File file : StartupBundles.files("bundles=" + dir, registry)) {
      String problem = StartupBundles.register(file, registry);
      problems += problem == null ? "" : problem + "\n";
    }

    assertThat(problems)
        .contains(
            "startup bundle skipped: bundle " + dir.resolve("b.jar") + " is not a jar",
            "not the one its name pins");
    assertThat(registry.patches())
        .extracting(ActivePatch::id)
        .containsExactly(Bundle.read(good).getSha256());
  }

  @Test
  void skipsAStartupBundleCompiledForANewerJavaSoTheClassStillLoads() throws Exception {
    File file =
        write(
            "1.jar",
            new ClassFiles.BundleBuilder().changed(NAME, V1, ClassFiles.newerBy(V2, 1)).jar());

    assertThat(StartupBundles.register(file, registry))
        .startsWith(
            "startup bundle skipped: bundle "
                + file
                + ": "
                + NAME
                + " is compiled for Java "
                + (ClassFileLevel.runningFeature() + 1));
    assertThat(registry.patches()).isEmpty();
    assertThat(transformer.transform(getClass().getClassLoader(), INTERNAL_NAME, null, null, V1))
        .isNull();
  }

  @Test
  void acceptsTheSidecarsOrderedStagingNamesWhenTheyPinTheRightSha256() throws Exception {
    byte[] good = new ClassFiles.BundleBuilder().changed(NAME, V1, V2).jar();
    String sha256 = Bundle.read(good).getSha256();

    assertThat(StartupBundles.register(write("0001-" + sha256 + ".jar", good), registry)).isNull();
    assertThat(StartupBundles.register(write("0002-" + repeat('b', 64) + ".jar", good), registry))
        .contains("not the one its name pins");
    assertThat(registry.patches()).extracting(ActivePatch::id).containsExactly(sha256);
  }

  private void register(byte[] jar, String name) throws IOException {
    assertThat(StartupBundles.register(write(name, jar), registry)).isNull();
  }

  private File write(String name, byte[] bytes) throws IOException {
    File file = dir.resolve(name).toFile();
    try (OutputStream out = new FileOutputStream(file)) {
      out.write(bytes);
    }
    return file;
  }

  private static String repeat(char c, int times) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < times; i++) {
      out.append(c);
    }
    return out.toString();
  }
}
