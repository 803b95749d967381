package io.hotpatch.agent;

import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleEntry;
import io.hotpatch.core.ClassChange;
import io.hotpatch.core.ClassChangeClassifier;
import io.hotpatch.core.ClassDigest;
import io.hotpatch.core.ClassResult;
import io.hotpatch.core.PhaseClock;
import io.hotpatch.core.ResultState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, touching nothing, what applying a bundle would do to every loaded copy of its classes:
 * verifies each copy against the original the bundle expects and classifies the change against the
 * class actually loaded, which is the authority (read back from the JVM when its file changed).
 */
final class PatchPlanner {
  private final JvmAccess jvm;
  private final PatchRegistry registry;

  PatchPlanner(JvmAccess jvm, PatchRegistry registry) {
    this.jvm = jvm;
    this.registry = registry;
  }

  PatchPlan plan(Bundle bundle, PhaseClock clock) {
    PatchPlan plan = new PatchPlan();
    Map<String, List<Class<?>>> loaded = loadedCopies(bundle);
    clock.lap("findLoaded");
    List<String> newClasses = new ArrayList<String>();
    for (Map.Entry<String, byte[]> bundleClass : bundle.getClasses().entrySet()) {
      String name = bundleClass.getKey();
      BundleEntry entry = bundle.getManifest().entry(name);
      List<Class<?>> copies = loaded.get(name);
      if (copies != null) {
        planLoadedClass(plan, name, bundleClass.getValue(), entry, copies, clock);
      }
      boolean isNew =
          entry != null
              ? entry.getKind() == BundleEntry.Kind.ADDED
              : copies == null && isUnknownToHosts(name, loaded);
      if (isNew) {
        newClasses.add(name);
      } else if (copies == null) {
        plan.deferred.add(
            new PatchPlan.Deferred(name, expectedDigest(entry), bundleClass.getValue()));
        plan.results.add(
            new ClassResult(
                name, "", ResultState.APPLIED, "not loaded yet: will be patched when it loads"));
      }
    }
    for (String name : newClasses) {
      planNewClass(plan, name, bundle.getClasses().get(name), loaded);
    }
    return plan;
  }

  private Map<String, List<Class<?>>> loadedCopies(Bundle bundle) {
    Map<String, List<Class<?>>> loaded = new HashMap<String, List<Class<?>>>();
    for (Class<?> type : jvm.loadedClasses()) {
      String name = type.getName();
      if (bundle.getClasses().containsKey(name)) {
        List<Class<?>> copies = loaded.get(name);
        if (copies == null) {
          copies = new ArrayList<Class<?>>();
          loaded.put(name, copies);
        }
        copies.add(type);
      }
    }
    return loaded;
  }

  private void planLoadedClass(
      PatchPlan plan,
      String name,
      byte[] replacement,
      BundleEntry entry,
      List<Class<?>> copies,
      PhaseClock clock) {
    int mismatches = 0;
    String firstMismatch = null;
    for (Class<?> copy : copies) {
      ClassResult result = planCopy(plan, name, replacement, entry, copy, clock);
      plan.results.add(result);
      if (result.getState() == ResultState.PRECONDITION_FAILED) {
        mismatches++;
        firstMismatch = firstMismatch == null ? result.getMessage() : firstMismatch;
      }
    }
    if (mismatches == copies.size()) {
      plan.block(ResultState.PRECONDITION_FAILED, name, firstMismatch);
    } else {
      plan.skippedCopies += mismatches;
    }
  }

  private ClassResult planCopy(
      PatchPlan plan,
      String name,
      byte[] replacement,
      BundleEntry entry,
      Class<?> copy,
      PhaseClock clock) {
    ClassLoader loader = copy.getClassLoader();
    String where = Loaders.describe(loader);
    RunningBytes running = currentBytes(copy);
    clock.lap("readOriginal");
    byte[] current = running.bytes;
    if (current == null) {
      return preconditionFailed(
          name,
          where,
          "cannot be verified: "
              + running.note
              + "; patch the loader that serves its class file, or restart the JVM with the bundle");
    }
    String source = running.note.isEmpty() ? "" : "; " + running.note;
    try {
      String currentDigest = ClassDigest.of(current);
      boolean same = currentDigest.equals(ClassDigest.of(replacement));
      clock.lap("digest");
      if (same) {
        return new ClassResult(
            name, where, ResultState.ALREADY_APPLIED, "already has the patched version" + source);
      }
      String expected = expectedDigest(entry);
      if (!expected.isEmpty() && !expected.equals(currentDigest)) {
        return preconditionFailed(
            name,
            where,
            "is not the version this patch was built for (digest "
                + Loaders.shortId(currentDigest)
                + ", expected "
                + Loaders.shortId(expected)
                + source
                + "): "
                + rebuildAdvice(name, copy.getClassLoader()));
      }
      if (!jvm.isModifiable(copy)) {
        return block(
            plan,
            ResultState.NOT_HOT_APPLICABLE,
            name,
            where,
            "the JVM does not allow this class to be modified");
      }
      ClassChange change = ClassChangeClassifier.classifyChanged(current, replacement);
      clock.lap("classify");
      if (!change.isHotApplicable()) {
        return block(plan, ResultState.NOT_HOT_APPLICABLE, name, where, join(change.getReasons()));
      }
      plan.redefinitions.add(new PatchPlan.Redefinition(copy, current, replacement));
      return new ClassResult(
          name,
          where,
          ResultState.APPLIED,
          "hot-applicable"
              + (change.getWarnings().isEmpty() ? "" : "; warning: " + join(change.getWarnings()))
              + source);
    } catch (RuntimeException e) {
      return block(
          plan,
          ResultState.FAILED,
          name,
          where,
          "not a valid class file (" + e + "): rebuild the bundle");
    }
  }

  /** {@code name} in the loader {@code where} is not what the patch needs: {@code problem}. */
  private static ClassResult preconditionFailed(String name, String where, String problem) {
    return new ClassResult(
        name, where, ResultState.PRECONDITION_FAILED, name + " in loader " + where + " " + problem);
  }

  /** How to build a bundle this copy accepts: on top of the patch it runs, if one is active. */
  private String rebuildAdvice(String name, ClassLoader loader) {
    String activePatch = registry.installedBy(name, loader);
    if (activePatch == null) {
      return "build the bundle against the jar this JVM runs";
    }
    return "patch "
        + Loaders.shortId(activePatch)
        + " is active on this class, so build on it with"
        + " 'hotpatch diff PATCHED NEW' where PATCHED is the build that patch came from, or revert it first"
        + " ('hotpatch revert "
        + Loaders.shortId(activePatch)
        + "')";
  }

  private static ClassResult block(
      PatchPlan plan, ResultState state, String name, String where, String reason) {
    plan.block(state, name, name + " in loader " + where + ": " + reason);
    return new ClassResult(name, where, state, reason);
  }

  /** What the copy runs now: what we installed last (patches stack), else what the JVM loaded. */
  private RunningBytes currentBytes(Class<?> copy) {
    byte[] installed = registry.installedBytes(copy.getName(), copy.getClassLoader());
    if (installed == null) {
      installed = registry.definedBytes(copy.getName(), copy.getClassLoader());
    }
    if (installed != null) {
      return new RunningBytes(installed, "");
    }
    RunningBytes original = registry.original(copy);
    if (original == null) {
      original = jvm.runningBytes(copy);
      if (original.bytes != null) {
        registry.rememberOriginal(copy, original);
      }
    }
    return original;
  }

  /**
   * A hand-made bundle's class is new when none of the loaders of its package's patched classes has
   * it.
   */
  private boolean isUnknownToHosts(String name, Map<String, List<Class<?>>> loaded) {
    List<Class<?>> hosts = hostCandidates(name, loaded);
    if (hosts.isEmpty()) {
      return false;
    }
    for (Class<?> host : hosts) {
      if (jvm.classFile(host.getClassLoader(), name) != null) {
        return false;
      }
    }
    return true;
  }

  private void planNewClass(
      PatchPlan plan, String name, byte[] classFile, Map<String, List<Class<?>>> loaded) {
    Map<ClassLoader, Class<?>> hostByLoader = new LinkedHashMap<ClassLoader, Class<?>>();
    for (Class<?> host : hostCandidates(name, patchedOnly(plan, loaded))) {
      if (!hostByLoader.containsKey(host.getClassLoader())) {
        hostByLoader.put(host.getClassLoader(), host);
      }
    }
    List<Class<?>> present = loaded.get(name);
    if (present != null) {
      for (Class<?> copy : present) {
        hostByLoader.remove(copy.getClassLoader());
      }
    }
    for (Class<?> host : hostByLoader.values()) {
      plan.newClasses.add(new PatchPlan.NewClass(host, name, classFile));
      plan.results.add(
          new ClassResult(
              name,
              Loaders.describe(host.getClassLoader()),
              ResultState.APPLIED,
              "new class, defined next to " + host.getName()));
    }
    if (!hostByLoader.isEmpty() || present != null) {
      return;
    }
    List<PatchPlan.Deferred> hosts = new ArrayList<PatchPlan.Deferred>();
    for (PatchPlan.Deferred deferred : plan.deferred) {
      if (Loaders.packageOf(deferred.className).equals(Loaders.packageOf(name))) {
        hosts.add(deferred);
      }
    }
    for (PatchPlan.Deferred deferred : hosts.isEmpty() ? plan.deferred : hosts) {
      deferred.companions.put(name, classFile);
    }
    plan.results.add(
        new ClassResult(
            name,
            "",
            ResultState.APPLIED,
            plan.deferred.isEmpty()
                ? "new class that no loaded class uses: not defined"
                : "new class: will be defined when the classes that use it load"));
  }

  /** Loaded copies that the plan redefines, by class name. */
  private static Map<String, List<Class<?>>> patchedOnly(
      PatchPlan plan, Map<String, List<Class<?>>> loaded) {
    Map<String, List<Class<?>>> patched = new HashMap<String, List<Class<?>>>();
    for (PatchPlan.Redefinition redefinition : plan.redefinitions) {
      String name = redefinition.type.getName();
      if (!patched.containsKey(name)) {
        patched.put(name, new ArrayList<Class<?>>());
      }
      patched.get(name).add(redefinition.type);
    }
    return patched;
  }

  /**
   * Loaded bundle classes that would host a new class: those of its outer class, else those in its
   * package, else any (a new class must live in the loader of the classes that use it).
   */
  private static List<Class<?>> hostCandidates(String name, Map<String, List<Class<?>>> loaded) {
    List<Class<?>> outer = loaded.get(Loaders.outerOf(name));
    if (outer != null && !Loaders.outerOf(name).equals(name)) {
      return outer;
    }
    List<Class<?>> samePackage = new ArrayList<Class<?>>();
    List<Class<?>> any = new ArrayList<Class<?>>();
    for (Map.Entry<String, List<Class<?>>> copies : loaded.entrySet()) {
      if (copies.getKey().equals(name)) {
        continue;
      }
      any.addAll(copies.getValue());
      if (Loaders.packageOf(copies.getKey()).equals(Loaders.packageOf(name))) {
        samePackage.addAll(copies.getValue());
      }
    }
    return samePackage.isEmpty() ? any : samePackage;
  }

  private static String expectedDigest(BundleEntry entry) {
    return entry == null || entry.getKind() != BundleEntry.Kind.CHANGED
        ? ""
        : entry.getOriginalDigest();
  }

  private static String join(List<String> lines) {
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(out.length() == 0 ? "" : "; ").append(line);
    }
    return out.toString();
  }
}
