package io.hotpatch.agent;

import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleManifest;
import io.hotpatch.core.BundleWriter;
import io.hotpatch.core.ClassChangeClassifier;
import java.lang.instrument.ClassDefinition;
import java.util.Collections;

/**
 * Runs the apply path once, touching nothing, on the resident agent's own thread right after JVM
 * start: a dry run of a bundle of one agent class, a classification and a redefinition of that
 * class with its own bytes. The first real patch then finds the agent's code, ASM and the JVM's
 * redefinition machinery loaded, instead of paying for them while a user waits.
 */
final class WarmUp {
  private static final Class<?> SUBJECT = StartupNotice.class;

  private WarmUp() {}

  static void run(PatchEngine engine, JvmAccess jvm) {
    try {
      byte[] own = jvm.classFile(SUBJECT.getClassLoader(), SUBJECT.getName());
      if (own == null) {
        return;
      }
      Bundle bundle =
          Bundle.read(
              BundleWriter.write(
                  Collections.singletonMap(SUBJECT.getName(), own), BundleManifest.empty()));
      engine.apply(bundle, true);
      ClassChangeClassifier.classify(own, own);
      jvm.redefine(Collections.singletonList(new ClassDefinition(SUBJECT, own)));
    } catch (Throwable e) {
      // Only a head start: the first patch pays for whatever this could not warm.
    }
  }
}
