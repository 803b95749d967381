package io.hotpatch.cli;

import io.hotpatch.core.BundleEntry;
import io.hotpatch.core.BundleManifest;
import io.hotpatch.core.BundleWriter;
import io.hotpatch.core.ClassChange;
import io.hotpatch.core.ClassChangeClassifier;
import io.hotpatch.core.ClassDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The differences between two sets of class files and the patch bundle that carries them. */
final class JarDiff {
  private final List<ClassDiff> classes;
  private final Map<String, byte[]> bundleClasses;
  private final BundleManifest manifest;

  private JarDiff(
      List<ClassDiff> classes, Map<String, byte[]> bundleClasses, BundleManifest manifest) {
    this.classes = classes;
    this.bundleClasses = bundleClasses;
    this.manifest = manifest;
  }

  /** Compares class files keyed by binary name, in name order. */
  static JarDiff compare(Map<String, byte[]> before, Map<String, byte[]> after) {
    List<ClassDiff> classes = new ArrayList<>();
    Map<String, byte[]> bundleClasses = new LinkedHashMap<>();
    List<BundleEntry> entries = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, byte[]> next : after.entrySet()) {
      String name = next.getKey();
      byte[] old = before.get(name);
      if (old == null) {
        classes.add(new ClassDiff(name, ClassDiff.Change.ADDED, true, List.of(), List.of()));
        entries.add(new BundleEntry(name, BundleEntry.Kind.ADDED, "", true, List.of()));
        bundleClasses.put(name, next.getValue());
        continue;
      }
      ClassChange change = ClassChangeClassifier.classify(old, next.getValue());
      if (!change.isChanged()) {
        continue;
      }
      classes.add(
          new ClassDiff(
              name,
              ClassDiff.Change.CHANGED,
              change.isHotApplicable(),
              change.getReasons(),
              change.getWarnings()));
      entries.add(
          new BundleEntry(
              name,
              BundleEntry.Kind.CHANGED,
              ClassDigest.of(old),
              change.isHotApplicable(),
              change.getReasons()));
      warnings.addAll(change.getWarnings());
      bundleClasses.put(name, next.getValue());
    }
    for (String name : before.keySet()) {
      if (!after.containsKey(name)) {
        // A live JVM keeps the old class loaded; the patched code simply stops using it.
        classes.add(new ClassDiff(name, ClassDiff.Change.REMOVED, true, List.of(), List.of()));
        removed.add(name);
      }
    }
    classes.sort((a, b) -> a.name().compareTo(b.name()));
    return new JarDiff(classes, bundleClasses, new BundleManifest(entries, removed, warnings));
  }

  /** Every changed, added and removed class, by name. */
  List<ClassDiff> classes() {
    return classes;
  }

  boolean isHotApplicable() {
    return classes.stream().allMatch(ClassDiff::hotApplicable);
  }

  /** Each reason a live JVM would refuse the patch, prefixed with its class. */
  List<String> reasons() {
    List<String> reasons = new ArrayList<>();
    for (ClassDiff diff : classes) {
      diff.reasons().forEach(reason -> reasons.add(diff.name() + ": " + reason));
    }
    return reasons;
  }

  /** Classes the old build has and the new one lacks (a live JVM keeps them loaded). */
  List<String> removedClasses() {
    return manifest.getRemovedClasses();
  }

  List<String> warnings() {
    return manifest.getWarnings();
  }

  /** Number of class files the bundle carries (changed plus added). */
  int bundleClassCount() {
    return bundleClasses.size();
  }

  /** The reproducible bundle jar: same inputs, same bytes, same sha256. */
  byte[] bundle() {
    return BundleWriter.write(bundleClasses, manifest);
  }
}
