package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundle format: writing, reading back, and refusing what is not a usable bundle. */
class BundleTest {
  private static final byte[] OLD = TestClasses.returning("shop/Price", 1, "Price.java");
  private static final byte[] NEW = TestClasses.returning("shop/Price", 2, "Price.java");

  @TempDir Path dir;

  private static BundleManifest manifest() {
    return new BundleManifest(
        Collections.singletonList(
            new BundleEntry(
                "shop.Price",
                BundleEntry.Kind.CHANGED,
                ClassDigest.of(OLD),
                true,
                Collections.<String>emptyList())),
        Collections.<String>emptyList(),
        Arrays.asList("first warning", "second warning"));
  }

  private static Map<String, byte[]> classes(byte[] bytes) {
    Map<String, byte[]> classes = new LinkedHashMap<String, byte[]>();
    classes.put("shop.Price", bytes);
    return classes;
  }

  @Test
  void writtenBundleReadsBackWithItsManifest() throws Exception {
    byte[] jar = BundleWriter.write(classes(NEW), manifest());
    Bundle bundle = Bundle.read(jar);
    assertThat(bundle.getSha256()).isEqualTo(Sha256.hex(jar));
    assertThat(bundle.getClasses()).containsOnlyKeys("shop.Price");
    assertThat(bundle.getClasses().get("shop.Price")).isEqualTo(NEW);
    BundleEntry entry = bundle.getManifest().entry("shop.Price");
    assertThat(entry.getOriginalDigest()).isEqualTo(ClassDigest.of(OLD));
    assertThat(entry.getKind()).isEqualTo(BundleEntry.Kind.CHANGED);
    assertThat(bundle.getManifest().getWarnings())
        .containsExactly("first warning", "second warning");
  }

  @Test
  void sameInputGivesTheSameBytesAndSoTheSamePatchId() {
    assertThat(BundleWriter.write(classes(NEW), manifest()))
        .isEqualTo(BundleWriter.write(classes(NEW), manifest()));
  }

  @Test
  void handMadeBundleWithoutManifestIsAccepted() throws Exception {
    Bundle bundle = Bundle.read(BundleWriter.write(classes(NEW), BundleManifest.empty()));
    assertThat(bundle.hasManifest()).isFalse();
    assertThat(bundle.getClasses()).containsOnlyKeys("shop.Price");
  }

  @Test
  void refusesBytesThatAreNotAJar() {
    assertThatThrownBy(() -> Bundle.read("not a jar".getBytes("UTF-8")))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("not a jar");
  }

  @Test
  void refusesACorruptClassFile() {
    Map<String, byte[]> corrupt = classes(Arrays.copyOf(NEW, 20));
    assertThatThrownBy(() -> Bundle.read(BundleWriter.write(corrupt, BundleManifest.empty())))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("shop/Price.class is not a valid class file");
  }

  @Test
  void refusesAClassStoredUnderAnotherName() {
    Map<String, byte[]> misplaced = new LinkedHashMap<String, byte[]>();
    misplaced.put("shop.Other", NEW);
    assertThatThrownBy(() -> Bundle.read(BundleWriter.write(misplaced, BundleManifest.empty())))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("holds class shop/Price");
  }

  @Test
  void digestIgnoresDebugAttributesButNotCode() {
    assertThat(ClassDigest.of(TestClasses.returning("shop/Price", 1, "Other.java")))
        .isEqualTo(ClassDigest.of(OLD));
    assertThat(ClassDigest.of(NEW)).isNotEqualTo(ClassDigest.of(OLD));
  }

  @Test
  void errorsAboutAFileNameTheFile() throws Exception {
    File notJar =
        Files.write(dir.resolve("fix.jar"), "not a jar".getBytes(StandardCharsets.UTF_8)).toFile();

    assertThatThrownBy(() -> Bundle.read(notJar))
        .hasMessageStartingWith("bundle " + notJar + " is not a jar");
    assertThatThrownBy(() -> Bundle.read(dir.toFile()))
        .hasMessage("bundle " + dir + " is a directory: pass the path of a bundle jar");
    assertThatThrownBy(() -> Bundle.read(dir.resolve("missing.jar").toFile()))
        .hasMessageContaining("missing.jar does not exist");
  }

  @Test
  void anUnreadableFileNamesThePermissionFix() throws Exception {
    assumeFalse(
        "root".equals(System.getProperty("user.name")),
        "root reads every file: cannot test permissions");
    File locked =
        Files.write(dir.resolve("locked.jar"), BundleWriter.write(classes(NEW), manifest()))
            .toFile();
    assertThat(locked.setReadable(false, false)).isTrue();

    assertThatThrownBy(() -> Bundle.read(locked)).hasMessageContaining("locked.jar", "chmod a+r");
  }

  @Test
  void refusesABundleOverThePackedCap() {
    assertThatThrownBy(() -> Bundle.read(new byte[BundleLimits.MAX_PACKED_BYTES + 1]))
        .hasMessageContaining("larger than the 64 MiB a bundle may hold packed");
  }

  @Test
  void aZipBombIsRefusedAtTheEntryLimitWithoutInflatingIt() throws Exception {
    byte[] bomb = Zips.bomb("shop/Bomb%d.class", 1, 256L << 20);
    assertThat(bomb.length).as("256 MiB of zeros deflates about 1000 to 1").isLessThan(1 << 20);
    Runtime runtime = Runtime.getRuntime();
    long start = System.nanoTime();

    assertThatThrownBy(() -> Bundle.read(bomb))
        .isInstanceOf(BundleException.class)
        .hasMessage(
            "bundle entry shop/Bomb0.class inflates past 4 MiB, the most one entry may hold: a patch"
                + " carries only the changed classes; diff the builds again with 'hotpatch diff'");
    assertThatThrownBy(() -> Bundle.verify(bomb)).hasMessageContaining("inflates past 4 MiB");
    assertThat(System.nanoTime() - start)
        .as("refused after 4 MiB, not 256 MiB, of inflation")
        .isLessThan(2_000_000_000L);
  }

  @Test
  void manySmallBombsAreRefusedAtTheRatioTotalAndEntryCountLimits() throws Exception {
    assertThatThrownBy(() -> Bundle.read(Zips.bomb("zeros%d.bin", 40, 3 << 20)))
        .hasMessageContaining("inflates past 100 times its packed size of");
    Map<String, byte[]> compressible = new LinkedHashMap<String, byte[]>();
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < 17; i++) {
      byte[] halfNoise = new byte[4 << 20];
      random.nextBytes(halfNoise);
      Arrays.fill(halfNoise, 64 << 10, halfNoise.length, (byte) 0);
      compressible.put("noise" + i + ".bin", halfNoise);
    }
    assertThatThrownBy(() -> Bundle.read(Zips.jar(compressible)))
        .hasMessageContaining("inflates past 64 MiB, the most a bundle may hold unpacked");
    Map<String, byte[]> many = new LinkedHashMap<String, byte[]>();
    for (int i = 0; i <= BundleLimits.MAX_ENTRIES; i++) {
      many.put("d" + i + "/", new byte[0]);
    }
    assertThatThrownBy(() -> Bundle.read(Zips.jar(many)))
        .hasMessageContaining("has more than 10000 entries, the most a bundle may hold");
  }

  @Test
  void verifyNamesTheClassesWithoutKeepingThem() throws Exception {
    assertThat(Bundle.verify(BundleWriter.write(classes(NEW), manifest())))
        .containsExactly("shop.Price");
  }

  @Test
  void refusesEntryPathsThatLeaveTheBundlesTree() throws Exception {
    for (String path :
        Arrays.asList(
            "../../etc/x.class",
            "/etc/x.class",
            "shop/../x.class",
            "shop//x.class",
            "./shop/Price.class",
            "shop\\Price.class",
            "../notes.txt")) {
      assertThatThrownBy(() -> Bundle.read(Zips.jar(Collections.singletonMap(path, NEW))))
          .as(path)
          .hasMessageContaining(
              "entry paths must be relative, without '.', '..' or empty segments");
    }
  }

  @Test
  void refusesAClassNamedLikeAPathEvenWhenItsOwnNameMatches() throws Exception {
    byte[] odd = TestClasses.returning("shop/../etc/x", 1, null);
    assertThatThrownBy(
            () -> Bundle.read(Zips.jar(Collections.singletonMap("shop/../etc/x.class", odd))))
        .hasMessageContaining("entry paths must be relative");
    byte[] dashed = TestClasses.returning("shop/my-class", 1, null);
    assertThatThrownBy(
            () -> Bundle.read(Zips.jar(Collections.singletonMap("shop/my-class.class", dashed))))
        .hasMessage(
            "bundle entry shop/my-class.class is not named after a class: a class file's path must be"
                + " its binary name (Java identifiers separated by '/') plus .class; rebuild the bundle");
  }

  @Test
  void acceptsInnerClassesPackageInfoAndUnicodeIdentifiers() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<String, byte[]>();
    for (String name :
        Arrays.asList("shop/Price$1", "shop/package-info", "caf\u00e9/Pr\u00eex", "_/$")) {
      entries.put(name + ".class", TestClasses.returning(name, 1, null));
    }
    assertThat(Bundle.read(Zips.jar(entries)).getClasses().keySet())
        .containsExactly("shop.Price$1", "shop.package-info", "caf\u00e9.Pr\u00eex", "_.$");
  }

  @Test
  void refusesTwoEntriesForTheSameClass() throws Exception {
    Map<String, byte[]> twins = classes(NEW);
    twins.put("shop.Pricf", TestClasses.returning("shop/Pricf", 3, null));
    byte[] jar = BundleWriter.write(twins, BundleManifest.empty());
    // Zip writers refuse duplicate names, so rename the second entry in place (local and central
    // headers).
    String bytes =
        new String(jar, StandardCharsets.ISO_8859_1)
            .replace("shop/Pricf.class", "shop/Price.class");

    assertThatThrownBy(() -> Bundle.read(bytes.getBytes(StandardCharsets.ISO_8859_1)))
        .hasMessage(
            "bundle holds shop/Price.class twice, so which copy applies is unclear: rebuild it with 'hotpatch diff'");
  }
}
