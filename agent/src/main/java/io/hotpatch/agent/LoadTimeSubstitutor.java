package io.hotpatch.agent;

import io.hotpatch.core.ClassDigest;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;

/**
 * Substitutes bundle classes as they load (startup mode, and classes not yet loaded at apply time),
 * after checking the incoming class against the original each patch expects; patches chain in order.
 * One hash lookup for unrelated classes; never throws.
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
      ClassLoader loader, String internalName, Class<?> classBeingRedefined, ProtectionDomain domain, byte[] classFile) {
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
      registry.warn(internalName.replace('/', '.') + " in loader " + Loaders.describe(loader)
          + " was left unpatched: " + Throwables.describe(e));
      return null;
    }
  }

  byte[] substitute(ClassLoader loader, ProtectionDomain domain, byte[] classFile, List<PendingClass> chain) {
    byte[] current = classFile;
    for (PendingClass pending : chain) {
      String name = pending.className();
      String digest = ClassDigest.of(current);
      if (!pending.expectedDigest().isEmpty() && !pending.expectedDigest().equals(digest)) {
        if (!digest.equals(ClassDigest.of(pending.replacement()))) {
          registry.warn("patch " + Loaders.shortId(pending.patch().id()) + ": " + name + " loaded in loader "
              + Loaders.describe(loader) + " is not the version the patch was built for: left unpatched");
        }
        continue;
      }
      if (!defineCompanions(pending, loader, domain)) {
        continue;
      }
      pending.patch().addCopy(new PatchedCopy(name, loader, current, pending.replacement()));
      current = pending.replacement();
    }
    return current == classFile ? null : current;
  }

  /** False when a new class the patched class needs could not be defined: then it stays unpatched. */
  private boolean defineCompanions(PendingClass pending, ClassLoader loader, ProtectionDomain domain) {
    for (Map.Entry<String, byte[]> companion : pending.companions().entrySet()) {
      if (registry.definedBytes(companion.getKey(), loader) != null) {
        continue;
      }
      try {
        definer.defineInLoader(loader, companion.getKey(), companion.getValue(), domain);
        registry.recordDefined(companion.getKey(), loader, companion.getValue());
      } catch (Throwable e) {
        registry.warn("patch " + Loaders.shortId(pending.patch().id()) + ": could not define new class "
            + companion.getKey() + " in loader " + Loaders.describe(loader) + " (" + Throwables.describe(e)
            + "), so " + pending.className() + " was left unpatched");
        return false;
      }
    }
    return true;
  }
}
