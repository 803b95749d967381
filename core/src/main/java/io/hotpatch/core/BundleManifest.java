package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The bundle's manifest ({@value #PATH}): for every class the original digest it expects and the
 * classification the builder found. Hand-made bundles have none; the agent then checks against the
 * classes actually loaded.
 */
public final class BundleManifest {
  public static final String PATH = "META-INF/hotpatch/manifest.properties";

  /**
   * 2: original digests are {@link ClassDigest}s of what the JVM keeps of a class (1 digested the
   * class file).
   */
  private static final String FORMAT = "2";

  private static final String SEPARATOR = "\n";

  private final Map<String, BundleEntry> entries;
  private final List<String> removedClasses;
  private final List<String> warnings;

  public BundleManifest(
      List<BundleEntry> entries, List<String> removedClasses, List<String> warnings) {
    Map<String, BundleEntry> byName = new LinkedHashMap<String, BundleEntry>();
    for (BundleEntry entry : entries) {
      byName.put(entry.getClassName(), entry);
    }
    this.entries = Collections.unmodifiableMap(byName);
    this.removedClasses = Collections.unmodifiableList(new ArrayList<String>(removedClasses));
    this.warnings = Collections.unmodifiableList(new ArrayList<String>(warnings));
  }

  public static BundleManifest empty() {
    return new BundleManifest(
        Collections.<BundleEntry>emptyList(),
        Collections.<String>emptyList(),
        Collections.<String>emptyList());
  }

  /** Entries by binary class name, in bundle order. */
  public Map<String, BundleEntry> getEntries() {
    return entries;
  }

  public BundleEntry entry(String className) {
    return entries.get(className);
  }

  /** Classes present in the old jar and absent from the new one (a live JVM keeps them). */
  public List<String> getRemovedClasses() {
    return removedClasses;
  }

  /** Warnings the builder raised, such as changed compile-time constants. */
  public List<String> getWarnings() {
    return warnings;
  }

  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("format", FORMAT);
    int i = 0;
    for (BundleEntry entry : entries.values()) {
      String key = "class." + i++ + ".";
      p.setProperty(key + "name", entry.getClassName());
      p.setProperty(key + "kind", entry.getKind().name());
      p.setProperty(key + "original", entry.getOriginalDigest());
      p.setProperty(key + "hot", String.valueOf(entry.isHotApplicable()));
      p.setProperty(key + "reasons", join(entry.getReasons()));
    }
    p.setProperty("classes", String.valueOf(i));
    p.setProperty("removed", join(removedClasses));
    p.setProperty("warnings", join(warnings));
    return p;
  }

  public static BundleManifest fromProperties(Properties p) throws BundleException {
    if (!FORMAT.equals(p.getProperty("format"))) {
      throw new BundleException(
          "bundle manifest format '"
              + p.getProperty("format")
              + "' is not supported (expected "
              + FORMAT
              + "): rebuild the bundle with this version of 'hotpatch diff'");
    }
    List<BundleEntry> entries = new ArrayList<BundleEntry>();
    try {
      int count = Integer.parseInt(p.getProperty("classes", "0"));
      for (int i = 0; i < count; i++) {
        String key = "class." + i + ".";
        entries.add(
            new BundleEntry(
                required(p, key + "name"),
                BundleEntry.Kind.valueOf(required(p, key + "kind")),
                p.getProperty(key + "original", ""),
                Boolean.parseBoolean(p.getProperty(key + "hot", "false")),
                split(p.getProperty(key + "reasons", ""))));
      }
    } catch (IllegalArgumentException e) {
      throw new BundleException(
          "bundle manifest is corrupt (" + e.getMessage() + "): rebuild it", e);
    }
    return new BundleManifest(
        entries, split(p.getProperty("removed", "")), split(p.getProperty("warnings", "")));
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value;
  }

  private static String join(List<String> values) {
    StringBuilder out = new StringBuilder();
    for (String value : values) {
      if (out.length() > 0) {
        out.append(SEPARATOR);
      }
      out.append(value);
    }
    return out.toString();
  }

  private static List<String> split(String value) {
    return value.isEmpty()
        ? Collections.<String>emptyList()
        : Arrays.asList(value.split(SEPARATOR));
  }
}
