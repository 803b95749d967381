package io.hotpatch.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The next build of a fat jar differs from the first in the replaced class file only. */
class FatJarsTest {
  private static final String CALCULATOR = "BOOT-INF/classes/shop/PriceCalculator.class";
  private static final String NESTED = "BOOT-INF/lib/pricing-1.0.jar";

  @TempDir Path dir;

  @Test
  void replacesTheClassAndKeepsEveryOtherEntryAsItWasNestedJarsStored() throws IOException {
    byte[] nested = SampleBuilds.priceCalculatorBundle(SampleVersion.V1_BUGGY);
    Path v1 = fatJar(SampleBuilds.priceCalculator(SampleVersion.V1_BUGGY), nested);
    byte[] fix = SampleBuilds.priceCalculator(SampleVersion.V2_HOT_FIX);

    Path v2 =
        FatJars.replaceClasses(
            v1,
            FatJars.SPRING_BOOT_CLASSES,
            Map.of(SampleVersion.PATCHED_CLASS, fix),
            dir.resolve("v2.jar"));

    try (ZipFile before = new ZipFile(v1.toFile());
        ZipFile after = new ZipFile(v2.toFile())) {
      assertThat(names(after)).containsExactlyElementsOf(names(before));
      assertThat(after.getInputStream(after.getEntry(CALCULATOR)).readAllBytes()).isEqualTo(fix);
      assertThat(after.getEntry(CALCULATOR).getMethod()).isEqualTo(ZipEntry.DEFLATED);
      ZipEntry nestedAfter = after.getEntry(NESTED);
      assertThat(nestedAfter.getMethod()).isEqualTo(ZipEntry.STORED);
      assertThat(nestedAfter.getCrc()).isEqualTo(before.getEntry(NESTED).getCrc());
      assertThat(after.getInputStream(nestedAfter).readAllBytes()).isEqualTo(nested);
      assertThat(after.getInputStream(after.getEntry("META-INF/MANIFEST.MF")).readAllBytes())
          .isEqualTo(before.getInputStream(before.getEntry("META-INF/MANIFEST.MF")).readAllBytes());
    }
  }

  @Test
  void refusesAClassTheApplicationDoesNotHave() throws IOException {
    Path v1 = fatJar(SampleBuilds.priceCalculator(SampleVersion.V1_BUGGY), new byte[] {1, 2, 3});

    assertThatThrownBy(
            () ->
                FatJars.replaceClasses(
                    v1,
                    FatJars.SPRING_BOOT_CLASSES,
                    Map.of("shop.Missing", new byte[] {0}),
                    dir.resolve("v2.jar")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no entry BOOT-INF/classes/shop/Missing.class");
  }

  /** A fat jar laid out as spring-boot-maven-plugin writes it: deflated files, stored jars. */
  private Path fatJar(byte[] calculator, byte[] nestedJar) throws IOException {
    Path jar = dir.resolve("v1.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        ZipOutputStream out = new ZipOutputStream(file)) {
      out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      out.write("Manifest-Version: 1.0\r\nStart-Class: shop.Checkout\r\n\r\n".getBytes());
      out.putNextEntry(stored("BOOT-INF/classes/shop/", new byte[0]));
      out.putNextEntry(new ZipEntry(CALCULATOR));
      out.write(calculator);
      out.putNextEntry(stored(NESTED, nestedJar));
      out.write(nestedJar);
      out.closeEntry();
    }
    return jar;
  }

  private static ZipEntry stored(String name, byte[] bytes) {
    ZipEntry entry = new ZipEntry(name);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    entry.setCrc(crc.getValue());
    return entry;
  }

  private static List<String> names(ZipFile zip) {
    List<String> names = new ArrayList<>();
    Collections.list(zip.entries()).forEach(e -> names.add(e.getName()));
    return names;
  }
}
