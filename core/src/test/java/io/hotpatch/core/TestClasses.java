package io.hotpatch.core;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Minimal real class files built with ASM, for tests of the bundle format. */
final class TestClasses {
  private TestClasses() {}

  /**
   * A class {@code internalName} with one static method {@code int value()} returning {@code
   * value}.
   */
  static byte[] returning(String internalName, int value, String sourceFile) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(
        Opcodes.V1_8,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        internalName,
        null,
        "java/lang/Object",
        null);
    if (sourceFile != null) {
      writer.visitSource(sourceFile, null);
    }
    MethodVisitor method =
        writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "value", "()I", null, null);
    method.visitCode();
    method.visitLdcInsn(value);
    method.visitInsn(Opcodes.IRETURN);
    method.visitMaxs(0, 0);
    method.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }
}
