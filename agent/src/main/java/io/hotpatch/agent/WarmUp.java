package io.hotpatch.agent;

import io.hotpatch.core.AgentRequest;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleEntry;
import io.hotpatch.core.BundleManifest;
import io.hotpatch.core.BundleWriter;
import io.hotpatch.core.ClassDigest;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PhaseClock;
import io.hotpatch.core.ProtectedClasses;
import io.hotpatch.core.WireFormat;
import java.lang.instrument.ClassDefinition;
import java.util.Collections;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Runs the request path once, touching nothing, on a thread of the resident agent a second after
 * JVM start: a request decoded, the request handler's checks and the engine's dry run of a bundle
 * holding a changed, hot-applicable version of one agent class (digests, classification, plan), its
 * reply encoded, and a redefinition of that class with its own bytes. The first real patch then
 * finds the agent's code, ASM and the JVM's redefinition machinery loaded and run once, instead of
 * paying for them while a user waits.
 */
final class WarmUp {
  private static final Class<?> SUBJECT = StartupNotice.class;

  private WarmUp() {}

  /** The dry run's result (APPLIED when its whole path ran), or null when it could not run. */
  static PatchResult run(PatchEngine engine, JvmAccess jvm) {
    try {
      byte[] own = jvm.classFile(SUBJECT.getClassLoader(), SUBJECT.getName());
      if (own == null) {
        return null;
      }
      BundleEntry entry =
          new BundleEntry(
              SUBJECT.getName(),
              BundleEntry.Kind.CHANGED,
              ClassDigest.of(own),
              true,
              Collections.<String>emptyList());
      Bundle bundle =
          Bundle.read(
              BundleWriter.write(
                  Collections.singletonMap(SUBJECT.getName(), withNops(own)),
                  new BundleManifest(
                      Collections.singletonList(entry),
                      Collections.<String>emptyList(),
                      Collections.<String>emptyList())));
      AgentRequest.decode(
          new AgentRequest(
                  AgentRequest.Operation.CHECK,
                  "warm-up",
                  "",
                  "",
                  WireFormat.newReplyKey(System.currentTimeMillis(), 0))
              .encode());
      // The request handler's checks, which refuse an agent class, then the engine's dry run.
      ProtectedClasses.refusal(bundle.getClasses().keySet(), false);
      ClassFileLevel.tooNew(bundle, ClassFileLevel.runningFeature());
      PatchResult result = engine.apply(bundle, true, new PhaseClock());
      WireFormat.encode(AgentRuntime.versioned(result.toProperties()));
      jvm.redefine(Collections.singletonList(new ClassDefinition(SUBJECT, own)));
      return result;
    } catch (Throwable e) {
      // Only a head start: the first patch pays for whatever this could not warm.
      return null;
    }
  }

  /** The class with a NOP first in every method: another version that is still hot-applicable. */
  private static byte[] withNops(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            return new MethodVisitor(
                Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
              @Override
              public void visitCode() {
                super.visitCode();
                super.visitInsn(Opcodes.NOP);
              }
            };
          }
        },
        0);
    return writer.toByteArray();
  }
}
