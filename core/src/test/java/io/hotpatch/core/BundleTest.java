package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundle format: writing, reading back, and refusing what is not a usable bundle. */
class BundleTest {
  private static final byte[] OLD = TestClasses.returning("shop/Price", 1, "Price.java");
  private static final byte[] NEW = TestClasses.returning("shop/Price", 2, "Price.java");

  @TempDir Path dir;

  private static BundleManifest manifest() {
    return new BundleManifest(
        Collections.singletonList(new BundleEntry("shop.Price", BundleEntry.Kind.CHANGED, ClassDigest.of(OLD), true,
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
    assertThat(bundle.getManifest().getWarnings()).containsExactly("first warning", "second warning");
  }

  @Test
  void sameInputGivesTheSameBytesAndSoTheSamePatchId() {
    assertThat(BundleWriter.write(classes(NEW), manifest())).isEqualTo(BundleWriter.write(classes(NEW), manifest()));
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
    assertThat(ClassDigest.of(TestClasses.returning("shop/Price", 1, "Other.java"))).isEqualTo(ClassDigest.of(OLD));
    assertThat(ClassDigest.of(NEW)).isNotEqualTo(ClassDigest.of(OLD));
  }

  @Test
  void errorsAboutAFileNameTheFile() throws Exception {
    File notJar = Files.write(dir.resolve("fix.jar"), "not a jar".getBytes(StandardCharsets.UTF_8)).toFile();

    assertThatThrownBy(() -> Bundle.read(notJar)).hasMessageStartingWith("bundle " + notJar + " is not a jar");
    assertThatThrownBy(() -> Bundle.read(dir.toFile())).hasMessage("bundle " + dir + " is a directory: pass the path of a bundle jar");
    assertThatThrownBy(() -> Bundle.read(dir.resolve("missing.jar").toFile()))
        .hasMessageContaining("missing.jar does not exist");
  }

  @Test
  void anUnreadableFileNamesThePermissionFix() throws Exception {
    assumeFalse("root".equals(System.getProperty("user.name")), "root reads every file: cannot test permissions");
    File locked = Files.write(dir.resolve("locked.jar"), BundleWriter.write(classes(NEW), manifest())).toFile();
    assertThat(locked.setReadable(false, false)).isTrue();

    assertThatThrownBy(() -> Bundle.read(locked)).hasMessageContaining("locked.jar", "chmod a+r");
  }

  @Test
  void refusesABundleOverTheSizeCapPackedOrUnpacked() throws Exception {
    assertThatThrownBy(() -> Bundle.read(new byte[Bundle.MAX_BYTES + 1]))
        .hasMessageContaining("larger than the 64 MiB a bundle may hold");

    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bomb)) {
      zip.putNextEntry(new ZipEntry("zeros.bin"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i <= Bundle.MAX_BYTES >> 20; i++) {
        zip.write(zeros);
      }
    }
    assertThatThrownBy(() -> Bundle.read(bomb.toByteArray())).hasMessageContaining("larger than the 64 MiB");
  }

  @Test
  void refusesTwoEntriesForTheSameClass() throws Exception {
    Map<String, byte[]> twins = classes(NEW);
    twins.put("shop.Pricf", TestClasses.returning("shop/Pricf", 3, null));
    byte[] jar = BundleWriter.write(twins, BundleManifest.empty());
    // Zip writers refuse duplicate names, so rename the second entry in place (local and central headers).
    String bytes = new String(jar, StandardCharsets.ISO_8859_1).replace("shop/Pricf.class", "shop/Price.class");

    assertThatThrownBy(() -> Bundle.read(bytes.getBytes(StandardCharsets.ISO_8859_1)))
        .hasMessage("bundle holds shop/Price.class twice, so which copy applies is unclear: rebuild it with 'hotpatch diff'");
  }
}
