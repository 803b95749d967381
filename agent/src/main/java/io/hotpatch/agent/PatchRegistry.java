package io.hotpatch.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The patches active in this JVM, oldest first, and the classes they defined. Static state of the
 * agent: it outlives each attach. Methods are short and call nothing outside, so the transformer
 * can use the registry from any class-loading thread without risking a deadlock.
 */
final class PatchRegistry {
  private static final int MAX_WARNINGS = 100;

  private final List<ActivePatch> patches = new ArrayList<ActivePatch>();
  private final List<PatchedCopy> definedClasses = new ArrayList<PatchedCopy>();
  private final List<String> warnings = new ArrayList<String>();

  /**
   * What each class ran before this agent first patched it, read once: reading costs a class file
   * read or a retransformation per apply otherwise. A revert puts exactly these bytes back. Weak
   * keys: a class that unloads takes its entry with it.
   */
  private final Map<Class<?>, RunningBytes> originals = new WeakHashMap<Class<?>, RunningBytes>();

  /** Pending classes by internal name, in patch order; replaced whole on every change. */
  private volatile Map<String, List<PendingClass>> pendingByInternalName =
      Collections.<String, List<PendingClass>>emptyMap();

  synchronized void add(ActivePatch patch) {
    patches.add(patch);
    reindex();
  }

  synchronized void remove(ActivePatch patch) {
    patches.remove(patch);
    reindex();
  }

  synchronized List<ActivePatch> patches() {
    return new ArrayList<ActivePatch>(patches);
  }

  synchronized ActivePatch byId(String id) {
    for (ActivePatch patch : patches) {
      if (patch.id().equals(id)) {
        return patch;
      }
    }
    return null;
  }

  /** Patches whose id starts with the given prefix. */
  synchronized List<ActivePatch> byPrefix(String prefix) {
    List<ActivePatch> found = new ArrayList<ActivePatch>();
    for (ActivePatch patch : patches) {
      if (!prefix.isEmpty() && patch.id().startsWith(prefix)) {
        found.add(patch);
      }
    }
    return found;
  }

  /** The newest patch applied after this one that touches one of its classes, or null. */
  synchronized ActivePatch newerOnSameClasses(ActivePatch patch) {
    ActivePatch newest = null;
    for (int i = patches.indexOf(patch) + 1; i > 0 && i < patches.size(); i++) {
      ActivePatch later = patches.get(i);
      if (!Collections.disjoint(later.classNames(), patch.classNames())) {
        newest = later;
      }
    }
    return newest;
  }

  /** The bytes the newest patch installed for this copy of the class, or null when none did. */
  synchronized byte[] installedBytes(String className, ClassLoader loader) {
    PatchedCopy copy = newestInstalled(className, loader);
    return copy == null ? null : copy.installed();
  }

  /** The id of the newest patch that installed this copy of the class, or null when none did. */
  synchronized String installedBy(String className, ClassLoader loader) {
    for (int i = patches.size() - 1; i >= 0; i--) {
      if (patches.get(i).copies().contains(newestInstalled(className, loader))) {
        return patches.get(i).id();
      }
    }
    return null;
  }

  private PatchedCopy newestInstalled(String className, ClassLoader loader) {
    for (int i = patches.size() - 1; i >= 0; i--) {
      List<PatchedCopy> copies = patches.get(i).copies();
      for (int j = copies.size() - 1; j >= 0; j--) {
        if (copies.get(j).isCopyOf(className, loader)) {
          return copies.get(j);
        }
      }
    }
    return null;
  }

  /** What this class ran before any patch of this agent, or null when not read yet. */
  synchronized RunningBytes original(Class<?> type) {
    return originals.get(type);
  }

  synchronized void rememberOriginal(Class<?> type, RunningBytes running) {
    originals.put(type, running);
  }

  synchronized void recordDefined(String className, ClassLoader loader, byte[] classFile) {
    definedClasses.add(new PatchedCopy(className, loader, null, classFile));
  }

  /** The bytes of a class the agent defined in this loader, or null when it defined none. */
  synchronized byte[] definedBytes(String className, ClassLoader loader) {
    for (PatchedCopy defined : definedClasses) {
      if (defined.isCopyOf(className, loader)) {
        return defined.installed();
      }
    }
    return null;
  }

  synchronized void warn(String warning) {
    if (warnings.size() < MAX_WARNINGS) {
      warnings.add(warning);
    }
  }

  synchronized List<String> warnings() {
    return new ArrayList<String>(warnings);
  }

  /** Lock-free: called by the transformer for every class that loads. */
  List<PendingClass> pendingFor(String internalName) {
    Map<String, List<PendingClass>> index = pendingByInternalName;
    return index.isEmpty() ? null : index.get(internalName);
  }

  private void reindex() {
    Map<String, List<PendingClass>> index = new HashMap<String, List<PendingClass>>();
    for (ActivePatch patch : patches) {
      for (PendingClass pending : patch.pending()) {
        String internalName = pending.className().replace('.', '/');
        List<PendingClass> chain = index.get(internalName);
        if (chain == null) {
          chain = new ArrayList<PendingClass>();
          index.put(internalName, chain);
        }
        chain.add(pending);
      }
    }
    pendingByInternalName = index;
  }
}
