package io.hotpatch.agent;

import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleEntry;
import io.hotpatch.core.BundleException;
import io.hotpatch.core.BundleManifest;
import io.hotpatch.core.BundleWriter;
import io.hotpatch.core.ClassDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Test class files: the fixtures' real bytes, variants made with ASM, and bundles of them. */
final class ClassFiles {
  private ClassFiles() {}

  static byte[] of(Class<?> type) {
    String path = "/" + type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getResourceAsStream(path)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The class with every string constant {@code from} replaced: a method-body change. */
  static byte[] withString(byte[] classFile, final String from, final String to) {
    ClassWriter writer = new ClassWriter(0);
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9, writer) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String desc, String signature, String[] exceptions) {
                return new MethodVisitor(
                    Opcodes.ASM9, super.visitMethod(access, name, desc, signature, exceptions)) {
                  @Override
                  public void visitLdcInsn(Object value) {
                    super.visitLdcInsn(from.equals(value) ? to : value);
                  }
                };
              }
            },
            0);
    return writer.toByteArray();
  }

  /**
   * The class as if compiled for a newer Java: only its class file major version raised by {@code
   * releases}.
   */
  static byte[] newerBy(byte[] classFile, int releases) {
    byte[] copy = classFile.clone();
    int major = ((copy[6] & 0xFF) << 8 | copy[7] & 0xFF) + releases;
    copy[6] = (byte) (major >> 8);
    copy[7] = (byte) major;
    return copy;
  }

  /** The class with a field added: a schema change a live JVM refuses. */
  static byte[] withField(byte[] classFile, final String field) {
    ClassWriter writer = new ClassWriter(0);
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9, writer) {
              @Override
              public void visitEnd() {
                super.visitField(Opcodes.ACC_STATIC, field, "I", null, null).visitEnd();
                super.visitEnd();
              }
            },
            0);
    return writer.toByteArray();
  }

  /** A new class {@code name} (binary name) with nothing in it. */
  static byte[] newClass(String name) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(
        Opcodes.V1_8,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        name.replace('.', '/'),
        null,
        "java/lang/Object",
        null);
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** Builds bundles class by class: changed classes name their original, added ones do not. */
  static final class BundleBuilder {
    private final Map<String, byte[]> classes = new LinkedHashMap<String, byte[]>();
    private final List<BundleEntry> entries = new ArrayList<BundleEntry>();

    BundleBuilder changed(String name, byte[] original, byte[] replacement) {
      classes.put(name, replacement);
      entries.add(
          new BundleEntry(
              name,
              BundleEntry.Kind.CHANGED,
              ClassDigest.of(original),
              true,
              Collections.<String>emptyList()));
      return this;
    }

    BundleBuilder added(String name, byte[] classFile) {
      classes.put(name, classFile);
      entries.add(
          new BundleEntry(name, BundleEntry.Kind.ADDED, "", true, Collections.<String>emptyList()));
      return this;
    }

    /** A class without manifest entry, as in a hand-made bundle. */
    BundleBuilder plain(String name, byte[] classFile) {
      classes.put(name, classFile);
      return this;
    }

    byte[] jar() {
      return BundleWriter.write(
          classes,
          new BundleManifest(
              entries, Collections.<String>emptyList(), Collections.<String>emptyList()));
    }

    Bundle build() {
      try {
        return Bundle.read(jar());
      } catch (BundleException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
