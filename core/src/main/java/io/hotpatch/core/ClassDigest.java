package io.hotpatch.core;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

/**
 * Digest of a class file that ignores debug attributes, so that a rebuild that only moved line
 * numbers still matches the original a patch was built for.
 */
public final class ClassDigest {
  private ClassDigest() {}

  /** SHA-256 (hex) of the class with SourceFile, line and local variable tables removed. */
  public static String of(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(0);
    reader.accept(writer, ClassReader.SKIP_DEBUG);
    return Sha256.hex(writer.toByteArray());
  }
}
