package io.hotpatch.sample;

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

/** Bundles an attacker would send, for tests: any class name, and zip bombs built without holding them unpacked. */
public final class HostileBundles {
  private HostileBundles() {}

  /** A bundle of one empty class with this internal name ({@code java/lang/String}, say). */
  public static byte[] ofClass(String internalName, String sourceFile) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", null);
    writer.visitSource(sourceFile, null);
    writer.visitEnd();
    return BundleWriter.write(Map.of(internalName.replace('/', '.'), writer.toByteArray()), BundleManifest.empty());
  }

  /** One class entry of {@code zeros} zero bytes: about 1 MiB packed per GiB unpacked. */
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
