package io.hotpatch.operator;

import io.hotpatch.core.BundleManifest;
import io.hotpatch.core.BundleWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/** Real bundle jars for tests: one generated class file per bundle. */
public final class TestBundles {
  private TestBundles() {}

  /** A bundle replacing {@code shop.PriceCalculator}; the version changes the bytes and so the sha256. */
  public static byte[] priceFix(int version) {
    return of("shop/PriceCalculator", "PriceCalculator-v" + version + ".java");
  }

  /** A bundle holding one empty class of this internal name ({@code java/lang/String}, say). */
  public static byte[] of(String internalName, String sourceFile) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", null);
    writer.visitSource(sourceFile, null);
    writer.visitEnd();
    return BundleWriter.write(Map.of(internalName.replace('/', '.'), writer.toByteArray()), BundleManifest.empty());
  }

  /** One class entry of {@code zeros} zero bytes, deflated about 1000 to 1, built without holding it unpacked. */
  public static byte[] zipBomb(long zeros) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 << 20];
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("shop/PriceCalculator.class"));
      for (long left = zeros; left > 0; left -= chunk.length) {
        zip.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
