package io.hotpatch.cli;

import io.hotpatch.core.BuildDiff;
import io.hotpatch.core.BundleEntry;
import io.hotpatch.core.ClassChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The differences between two sets of class files and the patch bundle that carries them. */
final class JarDiff {
  private final List<ClassDiff> classes;
  private final BuildDiff build;

  private JarDiff(List<ClassDiff> classes, BuildDiff build) {
    this.classes = classes;
    this.build = build;
  }

  /** Compares class files keyed by binary name, in name order. */
  static JarDiff compare(Map<String, byte[]> before, Map<String, byte[]> after) {
    BuildDiff build = BuildDiff.compare(before, after);
    List<ClassDiff> classes = new ArrayList<>();
    for (BundleEntry entry : build.getManifest().getEntries().values()) {
      String name = entry.getClassName();
      ClassChange change = build.change(name);
      classes.add(
          change == null
              ? new ClassDiff(name, ClassDiff.Change.ADDED, true, List.of(), List.of())
              : new ClassDiff(
                  name,
                  ClassDiff.Change.CHANGED,
                  change.isHotApplicable(),
                  change.getReasons(),
                  change.getWarnings()));
    }
    for (String name : build.getManifest().getRemovedClasses()) {
      classes.add(new ClassDiff(name, ClassDiff.Change.REMOVED, true, List.of(), List.of()));
    }
    classes.sort((a, b) -> a.name().compareTo(b.name()));
    return new JarDiff(classes, build);
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
    return build.getManifest().getRemovedClasses();
  }

  List<String> warnings() {
    return build.getManifest().getWarnings();
  }

  /** Number of class files the bundle carries (changed plus added). */
  int bundleClassCount() {
    return build.bundleClassCount();
  }

  /** The reproducible bundle jar: same inputs, same bytes, same sha256. */
  byte[] bundle() {
    return build.bundle();
  }
}
