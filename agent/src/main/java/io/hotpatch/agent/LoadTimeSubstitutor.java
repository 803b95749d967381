package io.hotpatch.agent;

import io.hotpatch.core.ClassDigest;
import io.hotpatch.core.PatchMethod;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Substitutes bundle classes as they load (startup mode, and classes not yet loaded at apply time),
 * after checking the incoming class against the original each patch expects; patches chain in
 * order. One hash lookup for unrelated classes; never throws.
 */
final class LoadTimeSubstitutor implements ClassFileTransformer {
  private final PatchRegistry registry;
  private final ClassDefiner definer;

  LoadTimeSubstitutor(PatchRegistry registry, ClassDefiner definer) {
    this.registry = registry;
    this.definer = definer;
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String internalName,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classFile) {
    if (classBeingRedefined != null || internalName == null) {
      return null;
    }
    List<PendingClass> chain = registry.pendingFor(internalName);
    if (chain == null) {
      return null;
    }
    try {
      return substitute(loader, domain, classFile, chain);
    } catch (Throwable e) {
      String where = Loaders.describe(loader);
      String reason = "could not be patched as it loaded: " + Throwables.describe(e);
      for (PendingClass pending : chain) {
        pending.patch().skipped(pending.className(), where, reason);
      }
      warn(
          chain.get(0),
          internalName.replace('/', '.')
              + " in loader "
              + where
              + " was left unpatched: "
              + Throwables.describe(e));
      return null;
    }
  }

  /**
   * Runs the chain on the incoming bytes; records copies and outcomes only once the result is
   * certain.
   */
  byte[] substitute(
      ClassLoader loader, ProtectionDomain domain, byte[] classFile, List<PendingClass> chain) {
    String where = Loaders.describe(loader);
    List<PendingClass> applied = new ArrayList<PendingClass>();
    List<byte[]> previous = new ArrayList<byte[]>();
    byte[] current = classFile;
    for (PendingClass pending : chain) {
      String name = pending.className();
      String digest = ClassDigest.of(current);
      if (!pending.expectedDigest().isEmpty() && !pending.expectedDigest().equals(digest)) {
        if (digest.equals(ClassDigest.of(pending.replacement()))) {
          pending.patch().patched(name, where, "loaded with the patched version already");
        } else {
          String reason =
              "not the version the patch was built for (digest "
                  + Loaders.shortId(digest)
                  + ", expected "
                  + Loaders.shortId(pending.expectedDigest())
                  + "): left unpatched; build the bundle against the jar this JVM runs";
          pending.patch().skipped(name, where, reason);
          warn(
              pending,
              "patch "
                  + Loaders.shortId(pending.patch().id())
                  + ": "
                  + name
                  + " in loader "
                  + where
                  + " is "
                  + reason);
        }
        continue;
      }
      if (!defineCompanions(pending, loader, domain)) {
        continue;
      }
      applied.add(pending);
      previous.add(current);
      current = pending.replacement();
    }
    for (int i = 0; i < applied.size(); i++) {
      PendingClass pending = applied.get(i);
      pending
          .patch()
          .addCopy(
              new PatchedCopy(pending.className(), loader, previous.get(i), pending.replacement()));
      pending.patch().patched(pending.className(), where, "substituted as it loaded");
    }
    return current == classFile ? null : current;
  }

  /**
   * Startup patches also tell the JVM's owner on stderr, in one line: nobody attached to hear it.
   */
  private void warn(PendingClass pending, String warning) {
    registry.warn(warning);
    if (pending.patch().method() == PatchMethod.STARTUP) {
      StartupNotice.print(warning);
    }
  }

  /**
   * False when a new class the patched class needs could not be defined: then it stays unpatched.
   */
  private boolean defineCompanions(
      PendingClass pending, ClassLoader loader, ProtectionDomain domain) {
    for (Map.Entry<String, byte[]> companion : pending.companions().entrySet()) {
      if (registry.definedBytes(companion.getKey(), loader) != null) {
        continue;
      }
      try {
        definer.defineInLoader(loader, companion.getKey(), companion.getValue(), domain);
        registry.recordDefined(companion.getKey(), loader, companion.getValue());
        pending
            .patch()
            .patched(
                companion.getKey(),
                Loaders.describe(loader),
                "new class, defined as " + pending.className() + " loaded");
      } catch (Throwable e) {
        String reason =
            "could not define new class "
                + companion.getKey()
                + " ("
                + Throwables.describe(e)
                + "): left unpatched";
        pending.patch().skipped(pending.className(), Loaders.describe(loader), reason);
        warn(
            pending,
            "patch "
                + Loaders.shortId(pending.patch().id())
                + ": "
                + pending.className()
                + " in loader "
                + Loaders.describe(loader)
                + ": "
                + reason);
        return false;
      }
    }
    return true;
  }
}
