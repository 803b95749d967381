package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;

/**
 * The parts of a class file that a live JVM refuses to change: modifiers, hierarchy, fields,
 * methods and the nest, record and permitted-subclass attributes.
 */
final class ClassShape {
  /** A field or method: its modifiers, and for fields the compile-time constant, if any. */
  static final class Member {
    final int access;
    final Object constant;

    Member(int access, Object constant) {
      this.access = access;
      this.constant = constant;
    }
  }

  // HotSpot keeps these bits of a class file (JVM_RECOGNIZED_*_MODIFIERS) and drops the rest.
  static final int CLASS_MODIFIERS =
      Opcodes.ACC_PUBLIC
          | Opcodes.ACC_FINAL
          | Opcodes.ACC_SUPER
          | Opcodes.ACC_INTERFACE
          | Opcodes.ACC_ABSTRACT
          | Opcodes.ACC_SYNTHETIC
          | Opcodes.ACC_ANNOTATION
          | Opcodes.ACC_ENUM
          | Opcodes.ACC_MODULE;
  static final int FIELD_MODIFIERS =
      Opcodes.ACC_PUBLIC
          | Opcodes.ACC_PRIVATE
          | Opcodes.ACC_PROTECTED
          | Opcodes.ACC_STATIC
          | Opcodes.ACC_FINAL
          | Opcodes.ACC_VOLATILE
          | Opcodes.ACC_TRANSIENT
          | Opcodes.ACC_SYNTHETIC
          | Opcodes.ACC_ENUM;
  static final int METHOD_MODIFIERS =
      Opcodes.ACC_PUBLIC
          | Opcodes.ACC_PRIVATE
          | Opcodes.ACC_PROTECTED
          | Opcodes.ACC_STATIC
          | Opcodes.ACC_FINAL
          | Opcodes.ACC_SYNCHRONIZED
          | Opcodes.ACC_BRIDGE
          | Opcodes.ACC_VARARGS
          | Opcodes.ACC_NATIVE
          | Opcodes.ACC_ABSTRACT
          | Opcodes.ACC_STRICT
          | Opcodes.ACC_SYNTHETIC;

  int version;
  String name;
  int access;
  String superName;
  List<String> interfaces = new ArrayList<String>();

  /** Fields in declaration order, which the JVM compares too. */
  final Map<String, Member> fields = new LinkedHashMap<String, Member>();

  final Map<String, Member> methods = new LinkedHashMap<String, Member>();
  String nestHost = "";
  final List<String> nestMembers = new ArrayList<String>();
  final List<String> recordComponents = new ArrayList<String>();
  final List<String> permittedSubclasses = new ArrayList<String>();

  static ClassShape of(byte[] classFile) {
    final ClassShape shape = new ClassShape();
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public void visit(
                  int version,
                  int access,
                  String name,
                  String signature,
                  String superName,
                  String[] interfaces) {
                shape.version = version & 0xFFFF;
                shape.name = name;
                shape.access = access & CLASS_MODIFIERS;
                if ((access & Opcodes.ACC_INTERFACE) != 0 && shape.version < Opcodes.V1_6) {
                  shape.access |= Opcodes.ACC_ABSTRACT; // as HotSpot's parser does
                }
                shape.superName = superName;
                shape.interfaces =
                    interfaces == null ? new ArrayList<String>() : Arrays.asList(interfaces);
              }

              @Override
              public FieldVisitor visitField(
                  int access, String name, String descriptor, String signature, Object value) {
                shape.fields.put(
                    name + " " + descriptor, new Member(access & FIELD_MODIFIERS, value));
                return null;
              }

              @Override
              public MethodVisitor visitMethod(
                  int access,
                  String name,
                  String descriptor,
                  String signature,
                  String[] exceptions) {
                shape.methods.put(
                    name + descriptor,
                    new Member(methodModifiers(shape.version, name, access), null));
                return null;
              }

              @Override
              public void visitNestHost(String nestHost) {
                shape.nestHost = nestHost;
              }

              @Override
              public void visitNestMember(String nestMember) {
                shape.nestMembers.add(nestMember);
              }

              @Override
              public RecordComponentVisitor visitRecordComponent(
                  String name, String descriptor, String signature) {
                shape.recordComponents.add(name + " " + descriptor);
                return null;
              }

              @Override
              public void visitPermittedSubclass(String permittedSubclass) {
                shape.permittedSubclasses.add(permittedSubclass);
              }
            },
            ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return shape;
  }

  /**
   * The bits HotSpot keeps: a class initializer's flags are normalized, ACC_STRICT only before Java
   * 17.
   */
  private static int methodModifiers(int version, String name, int access) {
    if (!"<clinit>".equals(name)) {
      return access & METHOD_MODIFIERS;
    }
    if (version < Opcodes.V1_7) {
      return Opcodes.ACC_STATIC;
    }
    return access & (Opcodes.ACC_STATIC | (version <= Opcodes.V16 ? Opcodes.ACC_STRICT : 0));
  }
}
