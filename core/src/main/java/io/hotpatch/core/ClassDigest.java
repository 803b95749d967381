package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.Attribute;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;
import org.objectweb.asm.TypePath;

/**
 * Digest of what the JVM keeps of a class, so that a class file and the bytes a running JVM
 * rebuilds for the same class (on retransformation) give the same value, and a rebuild that only
 * moved line numbers still matches the original a patch was built for.
 *
 * <p>Left out because HotSpot does not keep them: debug attributes, invisible (class-retention)
 * annotations, type annotations inside method bodies, non-standard attributes, {@code Deprecated},
 * {@code EnclosingMethod} and the {@code ConstantValue} of an instance field; and the method order,
 * which HotSpot sorts. The field order stays: it is part of the schema.
 */
public final class ClassDigest {
  private ClassDigest() {}

  /** SHA-256 (hex) of the class's canonical form described above. */
  public static String of(byte[] classFile) {
    Canonical canonical = new Canonical();
    new ClassReader(classFile).accept(canonical, ClassReader.SKIP_DEBUG);
    return canonical.digest();
  }

  /**
   * Writes the class without its methods, and each method apart, to sort them by their own bytes.
   */
  private static final class Canonical extends ClassVisitor {
    private final ClassWriter header = new ClassWriter(0);
    private final List<String> methods = new ArrayList<String>();
    private int version;
    private String name;

    Canonical() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      this.version = version;
      this.name = name;
      header.visit(
          version, access & ~Opcodes.ACC_DEPRECATED, name, signature, superName, interfaces);
    }

    @Override
    public void visitNestHost(String nestHost) {
      header.visitNestHost(nestHost);
    }

    @Override
    public void visitOuterClass(String owner, String method, String descriptor) {
      // EnclosingMethod: the JVM does not rebuild it
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      return visible ? header.visitAnnotation(descriptor, true) : null;
    }

    @Override
    public AnnotationVisitor visitTypeAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      return visible ? header.visitTypeAnnotation(typeRef, typePath, descriptor, true) : null;
    }

    @Override
    public void visitAttribute(Attribute attribute) {
      // non-standard: the JVM drops it
    }

    @Override
    public void visitNestMember(String nestMember) {
      header.visitNestMember(nestMember);
    }

    @Override
    public void visitPermittedSubclass(String permittedSubclass) {
      header.visitPermittedSubclass(permittedSubclass);
    }

    @Override
    public void visitInnerClass(String name, String outerName, String innerName, int access) {
      header.visitInnerClass(name, outerName, innerName, access);
    }

    @Override
    public RecordComponentVisitor visitRecordComponent(
        String name, String descriptor, String signature) {
      return new RecordComponentVisitor(
          Opcodes.ASM9, header.visitRecordComponent(name, descriptor, signature)) {
        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
          return visible ? super.visitAnnotation(descriptor, true) : null;
        }

        @Override
        public AnnotationVisitor visitTypeAnnotation(
            int typeRef, TypePath typePath, String descriptor, boolean visible) {
          return visible ? super.visitTypeAnnotation(typeRef, typePath, descriptor, true) : null;
        }

        @Override
        public void visitAttribute(Attribute attribute) {
          // non-standard: the JVM drops it
        }
      };
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      return new FieldVisitor(
          Opcodes.ASM9,
          header.visitField(
              access & ~Opcodes.ACC_DEPRECATED,
              name,
              descriptor,
              signature,
              (access & Opcodes.ACC_STATIC) != 0 ? value : null)) {
        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
          return visible ? super.visitAnnotation(descriptor, true) : null;
        }

        @Override
        public AnnotationVisitor visitTypeAnnotation(
            int typeRef, TypePath typePath, String descriptor, boolean visible) {
          return visible ? super.visitTypeAnnotation(typeRef, typePath, descriptor, true) : null;
        }

        @Override
        public void visitAttribute(Attribute attribute) {
          // non-standard: the JVM drops it
        }
      };
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      final ClassWriter alone = new ClassWriter(0);
      alone.visit(version, 0, this.name, null, null, null);
      MethodVisitor target =
          alone.visitMethod(
              access & ~Opcodes.ACC_DEPRECATED, name, descriptor, signature, exceptions);
      return new VisibleOnly(target) {
        @Override
        public void visitEnd() {
          super.visitEnd();
          alone.visitEnd();
          methods.add(Sha256.hex(alone.toByteArray()));
        }
      };
    }

    String digest() {
      header.visitEnd();
      Collections.sort(methods);
      StringBuilder all = new StringBuilder(Sha256.hex(header.toByteArray()));
      for (String method : methods) {
        all.append(method);
      }
      return Sha256.hex(all.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  /**
   * A method without what the JVM drops: invisible annotations, type annotations in code,
   * non-standard attributes.
   */
  private static class VisibleOnly extends MethodVisitor {
    VisibleOnly(MethodVisitor target) {
      super(Opcodes.ASM9, target);
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      return visible ? super.visitAnnotation(descriptor, true) : null;
    }

    @Override
    public AnnotationVisitor visitTypeAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      return visible ? super.visitTypeAnnotation(typeRef, typePath, descriptor, true) : null;
    }

    @Override
    public void visitAnnotableParameterCount(int parameterCount, boolean visible) {
      if (visible) {
        super.visitAnnotableParameterCount(parameterCount, true);
      }
    }

    @Override
    public AnnotationVisitor visitParameterAnnotation(
        int parameter, String descriptor, boolean visible) {
      return visible ? super.visitParameterAnnotation(parameter, descriptor, true) : null;
    }

    @Override
    public AnnotationVisitor visitInsnAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      return null; // type annotations in code, visible or not: the JVM keeps none
    }

    @Override
    public AnnotationVisitor visitTryCatchAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      return null;
    }

    @Override
    public AnnotationVisitor visitLocalVariableAnnotation(
        int typeRef,
        TypePath typePath,
        Label[] start,
        Label[] end,
        int[] index,
        String descriptor,
        boolean visible) {
      return null;
    }

    @Override
    public void visitAttribute(Attribute attribute) {
      // non-standard: the JVM drops it
    }
  }
}
