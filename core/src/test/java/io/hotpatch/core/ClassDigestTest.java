package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The digest sees what the JVM keeps of a class and nothing else, so a class file and the JVM's
 * rebuild of the same class (methods sorted, invisible annotations and Deprecated dropped) match.
 */
class ClassDigestTest {
  @Test
  void ignoresWhatTheJvmDropsWhenItRebuildsAClass() {
    String original = ClassDigest.of(shop(false, false, 1));

    assertThat(ClassDigest.of(shop(true, false, 1)))
        .as("methods in another order")
        .isEqualTo(original);
    assertThat(ClassDigest.of(shop(false, true, 1)))
        .as(
            "invisible annotations, Deprecated, EnclosingMethod,"
                + " an instance field's ConstantValue, a custom attribute")
        .isEqualTo(original);
  }

  @Test
  void seesEveryChangeTheJvmKeeps() {
    String original = ClassDigest.of(shop(false, false, 1));

    assertThat(ClassDigest.of(shop(false, false, 2))).as("a method body").isNotEqualTo(original);
    assertThat(ClassDigest.of(fieldsSwapped())).as("the field order").isNotEqualTo(original);
  }

  /**
   * shop/Price with fields a, b and methods one(), two(); {@code extras} adds what the JVM drops.
   */
  private static byte[] shop(boolean reversedMethods, boolean extras, int value) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER | (extras ? Opcodes.ACC_DEPRECATED : 0),
        "shop/Price",
        null,
        "java/lang/Object",
        null);
    if (extras) {
      writer.visitOuterClass("shop/Outer", null, null);
      writer.visitAnnotation("Lshop/Nullable;", false).visitEnd();
      writer.visitAttribute(new CustomAttribute());
    }
    writer
        .visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "a", "I", null, extras ? 7 : null)
        .visitEnd();
    writer.visitField(Opcodes.ACC_PRIVATE, "b", "J", null, null).visitEnd();
    String[] names = reversedMethods ? new String[] {"two", "one"} : new String[] {"one", "two"};
    for (String name : names) {
      MethodVisitor method =
          writer.visitMethod(
              Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | (extras ? Opcodes.ACC_DEPRECATED : 0),
              name,
              "()I",
              null,
              null);
      if (extras) {
        method.visitAnnotation("Lshop/Nullable;", false).visitEnd();
      }
      method.visitCode();
      method.visitLdcInsn(name.equals("one") ? value : 1000);
      method.visitInsn(Opcodes.IRETURN);
      method.visitMaxs(0, 0);
      method.visitEnd();
    }
    writer.visitEnd();
    return writer.toByteArray();
  }

  private static byte[] fieldsSwapped() {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        "shop/Price",
        null,
        "java/lang/Object",
        null);
    writer.visitField(Opcodes.ACC_PRIVATE, "b", "J", null, null).visitEnd();
    writer.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "a", "I", null, null).visitEnd();
    for (String name : new String[] {"one", "two"}) {
      MethodVisitor method =
          writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, "()I", null, null);
      method.visitCode();
      method.visitLdcInsn(name.equals("one") ? 1 : 1000);
      method.visitInsn(Opcodes.IRETURN);
      method.visitMaxs(0, 0);
      method.visitEnd();
    }
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** An attribute no JVM knows. */
  private static final class CustomAttribute extends org.objectweb.asm.Attribute {
    CustomAttribute() {
      super("ScalaSig");
    }

    @Override
    protected org.objectweb.asm.ByteVector write(
        ClassWriter classWriter, byte[] code, int codeLength, int maxStack, int maxLocals) {
      return new org.objectweb.asm.ByteVector().putShort(1);
    }
  }
}
