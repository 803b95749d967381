package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleEntry;
import io.hotpatch.core.BundleLimits;
import io.hotpatch.core.ClassDigest;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.testkit.PackagedBuilds;
import io.hotpatch.testkit.PackagedBuilds.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code hotpatch diff} on real javac output: classification, bundle, JSON shape and exit codes.
 */
class DiffCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<SampleVersion, Map<String, byte[]>> SAMPLE =
      new java.util.EnumMap<>(SampleVersion.class);

  @TempDir Path dir;

  @BeforeAll
  static void compileSampleOnce() {
    for (SampleVersion version : SampleVersion.values()) {
      SAMPLE.put(version, compile(SampleBuilds.sampleSources(version)));
    }
  }

  @Test
  void methodBodyFixIsHotApplicableAndWritesAVerifiableBundle() throws Exception {
    Path v1 = jar(SampleVersion.V1_BUGGY);
    Path v2 = jar(SampleVersion.V2_HOT_FIX);
    Path bundle = dir.resolve("out/fix.jar");

    CliRun run =
        CliRun.of("diff", v1.toString(), v2.toString(), "--out", bundle.toString(), "--json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.get("status").asText()).isEqualTo("HOT_APPLICABLE");
    assertThat(report.get("classes")).hasSize(1);
    JsonNode entry = report.get("classes").get(0);
    assertThat(entry.get("name").asText()).isEqualTo(SampleVersion.PATCHED_CLASS);
    assertThat(entry.get("change").asText()).isEqualTo("CHANGED");
    assertThat(entry.get("hotApplicable").asBoolean()).isTrue();
    Bundle written = Bundle.read(bundle.toFile());
    assertThat(report.get("sha256").asText()).isEqualTo(written.getSha256());
    assertThat(written.getClasses()).containsOnlyKeys(SampleVersion.PATCHED_CLASS);
    BundleEntry manifest = written.getManifest().entry(SampleVersion.PATCHED_CLASS);
    assertThat(manifest.getKind()).isEqualTo(BundleEntry.Kind.CHANGED);
    assertThat(manifest.getOriginalDigest())
        .isEqualTo(
            ClassDigest.of(classes(SampleVersion.V1_BUGGY).get(SampleVersion.PATCHED_CLASS)));
  }

  @Test
  void schemaChangeIsNotHotApplicableExitsThreeAndStillWritesTheBundle() throws Exception {
    Path v2 = jar(SampleVersion.V2_HOT_FIX);
    Path v3 = jar(SampleVersion.V3_SCHEMA_CHANGE);
    Path bundle = dir.resolve("v3.jar");

    CliRun run = CliRun.of("diff", v2.toString(), v3.toString(), "--out", bundle.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.out())
        .contains(
            "NOT hot-applicable",
            "field added: java.lang.String ROUNDING",
            "sha256: " + Bundle.read(bundle.toFile()).getSha256());
    assertThat(
            Bundle.read(bundle.toFile())
                .getManifest()
                .entry(SampleVersion.PATCHED_CLASS)
                .isHotApplicable())
        .isFalse();
  }

  @Test
  void debugOnlyDifferencesAreNotChanges() throws Exception {
    Map<String, byte[]> before =
        compile(
            Map.of(
                "p.A", "package p; public class A { public int f() { return 1; } }",
                "p.B", "package p; public class B { public int g() { return 2; } }"));
    Map<String, byte[]> after =
        compile(
            Map.of(
                "p.A", "package p; public class A { public int f() { return 3; } }",
                "p.B",
                    "package p;\n\n\npublic class B {\n  public int g() {\n    return 2;\n  }\n}"));

    JsonNode report = diffJson(before, after, 0);

    assertThat(report.get("classes")).hasSize(1);
    assertThat(report.get("classes").get(0).get("name").asText()).isEqualTo("p.A");
  }

  @Test
  void changedCompileTimeConstantIsHotApplicableWithAWarning() throws Exception {
    JsonNode report =
        diffJson(
            compile(
                Map.of(
                    "p.Limits",
                    "package p; public class Limits { public static final int MAX = 5; }")),
            compile(
                Map.of(
                    "p.Limits",
                    "package p; public class Limits { public static final int MAX = 6; }")),
            0);

    assertThat(report.get("warnings").toString()).contains("p.Limits.MAX", "inlined");
  }

  @Test
  void addedLambdaAndAddedClassAndRemovedClassAreClassified() throws Exception {
    Map<String, byte[]> before =
        compile(
            Map.of(
                "p.Svc", "package p; public class Svc { public Runnable r() { return null; } }",
                "p.Old", "package p; class Old {}"));
    Map<String, byte[]> after =
        compile(
            Map.of(
                "p.Svc",
                    "package p; public class Svc { public Runnable r() { return () -> new Helper(); } }",
                "p.Helper", "package p; class Helper {}"));

    JsonNode report = diffJson(before, after, 3);

    assertThat(report.get("status").asText()).isEqualTo("NOT_HOT_APPLICABLE");
    assertThat(report.get("classes").toString())
        .contains("\"name\":\"p.Helper\",\"change\":\"ADDED\",\"hotApplicable\":true")
        .contains("\"name\":\"p.Old\",\"change\":\"REMOVED\"")
        .contains("\"name\":\"p.Svc\",\"change\":\"CHANGED\",\"hotApplicable\":false");
    assertThat(report.get("reasons").toString())
        .contains("p.Svc: lambda or other synthetic method added");
  }

  @Test
  void directoriesOfClassesWorkLikeJars() throws Exception {
    Path v1 = unpack(classes(SampleVersion.V1_BUGGY), dir.resolve("v1"));
    Path v2 = unpack(classes(SampleVersion.V2_HOT_FIX), dir.resolve("v2"));

    CliRun run = CliRun.of("diff", v1.toString(), v2.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("CHANGED  shop.PriceCalculator", "verdict: hot-applicable");
  }

  @Test
  void notAJarFailsWithOneLineAndWritesNothing() throws Exception {
    Path notJar = Files.writeString(dir.resolve("app.jar"), "this is text");
    Path v2 = jar(SampleVersion.V2_HOT_FIX);
    Path bundle = dir.resolve("bundle.jar");

    CliRun run = CliRun.of("diff", notJar.toString(), v2.toString(), "--out", bundle.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("is not a jar");
    assertThat(bundle).doesNotExist();
  }

  @Test
  void corruptClassFileFailsWithOneLineAndWritesNothing() throws Exception {
    Map<String, byte[]> corrupt = new java.util.TreeMap<>(classes(SampleVersion.V2_HOT_FIX));
    byte[] good = corrupt.get(SampleVersion.PATCHED_CLASS);
    corrupt.put(SampleVersion.PATCHED_CLASS, java.util.Arrays.copyOf(good, good.length / 2));
    Path v1 = jar(SampleVersion.V1_BUGGY);
    Path v2 = SampleBuilds.writeJar(corrupt, dir.resolve("corrupt.jar"));
    Path bundle = dir.resolve("bundle.jar");

    CliRun run =
        CliRun.of("diff", v1.toString(), v2.toString(), "--out", bundle.toString(), "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("shop/PriceCalculator.class is not a valid class file");
    assertThat(JSON.readTree(run.out()).get("status").asText()).isEqualTo("ERROR");
    assertThat(bundle).doesNotExist();
  }

  @Test
  void identicalBuildsHaveNothingToPatchAndWriteNoBundle() throws Exception {
    Path v1 = jar(SampleVersion.V1_BUGGY);
    Path bundle = dir.resolve("bundle.jar");

    CliRun run = CliRun.of("diff", v1.toString(), v1.toString(), "--out", bundle.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().strip())
        .isEqualTo(
            "nothing to patch: the builds are identical (the same 2 class files);"
                + " no bundle written: pass the build the JVM runs and the fixed build");
    assertThat(
            JSON.readTree(CliRun.of("diff", v1.toString(), v1.toString(), "--json").out())
                .get("status")
                .asText())
        .isEqualTo("IDENTICAL");
    assertThat(bundle).doesNotExist();
  }

  @Test
  void debugOnlyBuildsAreNotCalledIdentical() throws Exception {
    Path old =
        SampleBuilds.writeJar(
            compile(Map.of("p.A", "package p; public class A { }")), dir.resolve("old.jar"));
    Path fixed =
        SampleBuilds.writeJar(
            compile(Map.of("p.A", "package p;\n\npublic class A {\n}")), dir.resolve("new.jar"));

    CliRun run = CliRun.of("diff", old.toString(), fixed.toString());

    assertThat(run.out().strip())
        .isEqualTo(
            "nothing to patch: the builds differ only in debug attributes; no bundle written");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Shape.class)
  void aChangeInsideANestedDependencyJarIsFoundAndBundled(Shape shape) throws Exception {
    Path v1 = PackagedBuilds.pack(shape, SampleVersion.V1_BUGGY, dir, 17);
    Path v2 = PackagedBuilds.pack(shape, SampleVersion.V2_HOT_FIX, dir, 17);
    Path bundle = dir.resolve("fix.jar");

    CliRun run = CliRun.of("diff", v1.toString(), v2.toString(), "--out", bundle.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("CHANGED  shop.PriceCalculator", "(1 class)", "verdict: hot-applicable");
    assertThat(Bundle.read(bundle.toFile()).getClasses())
        .containsOnlyKeys(SampleVersion.PATCHED_CLASS);
    assertThat(
            Bundle.read(bundle.toFile())
                .getManifest()
                .entry(SampleVersion.PATCHED_CLASS)
                .getOriginalDigest())
        .isEqualTo(
            ClassDigest.of(classes(SampleVersion.V1_BUGGY).get(SampleVersion.PATCHED_CLASS)));
  }

  @Test
  void aLauncherWithoutClassesIsAnErrorThatSaysWhatToPass() throws Exception {
    Path v1 =
        PackagedBuilds.quarkusRunner(
            PackagedBuilds.pack(Shape.QUARKUS_APP, SampleVersion.V1_BUGGY, dir, 17));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("README.txt"), "no classes here");

    CliRun launcher = CliRun.of("diff", v1.toString(), v1.toString(), "--json");
    CliRun directory = CliRun.of("diff", empty.toString(), empty.toString());

    assertThat(launcher.exitCode()).isEqualTo(2);
    assertThat(launcher.err()).doesNotContain("launch.DirectoryLauncher");
    assertThat(directory.exitCode()).isEqualTo(2);
    directory.assertOneLineError(
        empty
            + " holds no class files (0 archives read, nested jars included): pass the"
            + " application itself: its jar, Spring Boot fat jar, WAR, class directory or Quarkus quarkus-app directory");
    assertThat(JSON.readTree(launcher.out()).get("status").asText()).isEqualTo("ERROR");
  }

  @Test
  void jarsNestedDeeperThanTheLimitAreRefused() throws Exception {
    byte[] inner =
        zip(
            Map.of(
                "p/A.class", compile(Map.of("p.A", "package p; public class A { }")).get("p.A")));
    for (int depth = 0; depth <= BundleLimits.MAX_BUILD_NESTING; depth++) {
      inner = zip(Map.of("lib/level" + depth + ".jar", inner));
    }
    Path deep = Files.write(dir.resolve("deep.jar"), inner);

    CliRun run = CliRun.of("diff", deep.toString(), deep.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("nests jars more than " + BundleLimits.MAX_BUILD_NESTING + " deep");
  }

  @Test
  void aNestedClassThatInflatesPastTheEntryLimitIsRefused() throws Exception {
    byte[] bomb = zip(Map.of("p/Bomb.class", new byte[BundleLimits.MAX_ENTRY_BYTES + 1]));
    Path fat = Files.write(dir.resolve("fat.jar"), zip(Map.of("BOOT-INF/lib/bomb.jar", bomb)));

    CliRun run = CliRun.of("diff", fat.toString(), fat.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("bomb.jar entry p/Bomb.class inflates past 4 MiB");
  }

  private static byte[] zip(Map<String, byte[]> entries) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new java.util.zip.ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void onlyRemovedClassesAreListedAndNothingIsPatched() throws Exception {
    Map<String, byte[]> before =
        compile(
            Map.of(
                "p.A", "package p; public class A { }",
                "p.Old", "package p; class Old { }"));
    Map<String, byte[]> after = compile(Map.of("p.A", "package p;\n\npublic class A {\n}"));
    Path old = SampleBuilds.writeJar(before, dir.resolve("old.jar"));
    Path fixed = SampleBuilds.writeJar(after, dir.resolve("new.jar"));

    CliRun run = CliRun.of("diff", old.toString(), fixed.toString());
    JsonNode report =
        JSON.readTree(CliRun.of("diff", old.toString(), fixed.toString(), "--json").out());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains(
            "REMOVED  p.Old",
            "nothing to patch: the builds differ only by removed classes (p.Old), which a live JVM keeps loaded; no bundle written");
    assertThat(report.get("status").asText()).isEqualTo("NOTHING_TO_PATCH");
    assertThat(report.get("classes").toString())
        .contains("\"name\":\"p.Old\",\"change\":\"REMOVED\"");
  }

  @Test
  void theBundleIsWrittenWithTheUsualPermissionsNotPrivateOnes() throws Exception {
    Path bundle = dir.resolve("fix.jar");
    Path usual = Files.write(dir.resolve("usual.txt"), new byte[] {1});

    CliRun run =
        CliRun.of(
            "diff",
            jar(SampleVersion.V1_BUGGY).toString(),
            jar(SampleVersion.V2_HOT_FIX).toString(),
            "--out",
            bundle.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(Files.getPosixFilePermissions(bundle))
        .isEqualTo(Files.getPosixFilePermissions(usual));
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  @Test
  void missingFileAndMissingArgumentAreUsageErrors() {
    CliRun missingFile =
        CliRun.of("diff", dir.resolve("nope.jar").toString(), dir.resolve("nope2.jar").toString());
    CliRun missingArgument = CliRun.of("diff", "only-one.jar");

    assertThat(missingFile.exitCode()).isEqualTo(2);
    missingFile.assertOneLineError("nope.jar does not exist");
    assertThat(missingArgument.exitCode()).isEqualTo(2);
    missingArgument.assertOneLineError("NEW");
  }

  private JsonNode diffJson(Map<String, byte[]> before, Map<String, byte[]> after, int expectedExit)
      throws Exception {
    Path old = SampleBuilds.writeJar(before, dir.resolve("old.jar"));
    Path fixed = SampleBuilds.writeJar(after, dir.resolve("new.jar"));
    CliRun run = CliRun.of("diff", old.toString(), fixed.toString(), "--json");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(expectedExit);
    return JSON.readTree(run.out());
  }

  private static Map<String, byte[]> compile(Map<String, String> sources) {
    return SampleBuilds.compile(sources, 17);
  }

  private static Map<String, byte[]> classes(SampleVersion version) {
    return SAMPLE.get(version);
  }

  private Path jar(SampleVersion version) {
    return SampleBuilds.writeJar(classes(version), dir.resolve(version.name() + ".jar"));
  }

  private static Path unpack(Map<String, byte[]> classes, Path root) throws Exception {
    for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
      Path file = root.resolve(entry.getKey().replace('.', '/') + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, entry.getValue());
    }
    return root;
  }
}
