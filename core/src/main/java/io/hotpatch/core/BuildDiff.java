package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The patch bundle between two builds' class files, as {@code hotpatch diff} writes it. */
public final class BuildDiff {
  private final Map<String, byte[]> bundleClasses;
  private final Map<String, ClassChange> changes;
  private final BundleManifest manifest;

  private BuildDiff(
      Map<String, byte[]> bundleClasses,
      Map<String, ClassChange> changes,
      BundleManifest manifest) {
    this.bundleClasses = bundleClasses;
    this.changes = changes;
    this.manifest = manifest;
  }

  /** Compares class files keyed by binary name; the bundle keeps the new build's order. */
  public static BuildDiff compare(Map<String, byte[]> before, Map<String, byte[]> after) {
    Map<String, byte[]> bundleClasses = new LinkedHashMap<String, byte[]>();
    Map<String, ClassChange> changes = new LinkedHashMap<String, ClassChange>();
    List<BundleEntry> entries = new ArrayList<BundleEntry>();
    List<String> removed = new ArrayList<String>();
    List<String> warnings = new ArrayList<String>();
    for (Map.Entry<String, byte[]> next : after.entrySet()) {
      String name = next.getKey();
      byte[] old = before.get(name);
      if (old == null) {
        entries.add(
            new BundleEntry(
                name, BundleEntry.Kind.ADDED, "", true, Collections.<String>emptyList()));
        bundleClasses.put(name, next.getValue());
        continue;
      }
      ClassChange change = ClassChangeClassifier.classify(old, next.getValue());
      if (!change.isChanged()) {
        continue;
      }
      changes.put(name, change);
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
        removed.add(name);
      }
    }
    return new BuildDiff(bundleClasses, changes, new BundleManifest(entries, removed, warnings));
  }

  /** How a class both builds hold changed; null for an added, removed or unchanged class. */
  public ClassChange change(String className) {
    return changes.get(className);
  }

  /** Every changed and added class with its classification, and the removed classes. */
  public BundleManifest getManifest() {
    return manifest;
  }

  /** Number of class files the bundle carries (changed plus added). */
  public int bundleClassCount() {
    return bundleClasses.size();
  }

  /** The reproducible bundle jar: same inputs, same bytes, same sha256. */
  public byte[] bundle() {
    return BundleWriter.write(bundleClasses, manifest);
  }
}
