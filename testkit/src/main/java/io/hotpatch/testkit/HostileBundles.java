package io.hotpatch.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Bundles an attacker would send, for tests: any class name, and zip bombs built without holding
 * them unpacked.
 */
public final class HostileBundles {
  private HostileBundles() {}

  /**
   * A bundle of one empty class with this internal name ({@code java/lang/String}, or {@code
   * ../../etc/x}), stored at the path the name gives.
   */
  public static byte[] ofClass(String internalName, String sourceFile) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        internalName,
        null,
        "java/lang/Object",
        null);
    writer.visitSource(sourceFile, null);
    writer.visitEnd();
    byte[] classFile = writer.toByteArray();
    return jar(internalName + ".class", classFile.length, (zip, length) -> zip.write(classFile));
  }

  /** One class entry of {@code zeros} zero bytes: about 1 MiB packed per GiB unpacked. */
  public static byte[] zipBomb(long zeros) {
    byte[] chunk = new byte[1 << 20];
    return jar(
        "shop/PriceCalculator.class",
        zeros,
        (zip, length) -> {
          for (long left = length; left > 0; left -= chunk.length) {
            zip.write(chunk, 0, (int) Math.min(chunk.length, left));
          }
        });
  }

  /** Writes the content of an entry of this length. */
  private interface Content {
    void write(ZipOutputStream zip, long length) throws IOException;
  }

  private static byte[] jar(String path, long length, Content content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(path));
      content.write(zip, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
