package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleTest {
  private static final byte[] OLD = TestClasses.returning("shop/Price", 1, "Price.java");
  private static final byte[] NEW = TestClasses.returning("shop/Price", 2, "Price.java");

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
}
