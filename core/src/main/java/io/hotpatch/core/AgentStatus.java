package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/** What the agent reports about its JVM: version, how the agent got in, and the active patches. */
public final class AgentStatus {
  private final String jvmVersion;
  private final String jvmVendor;
  private final boolean loadedAtStartup;
  private final long jvmStartMillis;
  private final List<AppliedPatch> patches;
  private final List<String> warnings;

  public AgentStatus(
      String jvmVersion,
      String jvmVendor,
      boolean loadedAtStartup,
      long jvmStartMillis,
      List<AppliedPatch> patches) {
    this(jvmVersion, jvmVendor, loadedAtStartup, jvmStartMillis, patches, Collections.<String>emptyList());
  }

  public AgentStatus(
      String jvmVersion,
      String jvmVendor,
      boolean loadedAtStartup,
      long jvmStartMillis,
      List<AppliedPatch> patches,
      List<String> warnings) {
    this.jvmVersion = jvmVersion;
    this.jvmVendor = jvmVendor;
    this.loadedAtStartup = loadedAtStartup;
    this.jvmStartMillis = jvmStartMillis;
    this.patches = Collections.unmodifiableList(new ArrayList<AppliedPatch>(patches));
    this.warnings = Collections.unmodifiableList(new ArrayList<String>(warnings));
  }

  public String getJvmVersion() {
    return jvmVersion;
  }

  public String getJvmVendor() {
    return jvmVendor;
  }

  /** True when the agent came in through {@code -javaagent}, false when it was attached. */
  public boolean isLoadedAtStartup() {
    return loadedAtStartup;
  }

  public long getJvmStartMillis() {
    return jvmStartMillis;
  }

  /** Active patches, oldest first. */
  public List<AppliedPatch> getPatches() {
    return patches;
  }

  /**
   * What the agent could not do outside an attach, one line each: a startup bundle it skipped, a
   * class whose loaded version did not match a pending patch.
   */
  public List<String> getWarnings() {
    return warnings;
  }

  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("operation", "status");
    p.setProperty("jvm.version", jvmVersion);
    p.setProperty("jvm.vendor", jvmVendor);
    p.setProperty("jvm.startMillis", String.valueOf(jvmStartMillis));
    p.setProperty("agent.loadedAtStartup", String.valueOf(loadedAtStartup));
    p.setProperty("patches", String.valueOf(patches.size()));
    for (int i = 0; i < patches.size(); i++) {
      AppliedPatch patch = patches.get(i);
      p.setProperty("patch." + i + ".id", patch.getId());
      p.setProperty("patch." + i + ".appliedAt", String.valueOf(patch.getAppliedAtMillis()));
      p.setProperty("patch." + i + ".method", patch.getMethod().name());
      p.setProperty("patch." + i + ".classes", join(patch.getClasses()));
    }
    p.setProperty("warnings", String.valueOf(warnings.size()));
    for (int i = 0; i < warnings.size(); i++) {
      p.setProperty("warning." + i, warnings.get(i));
    }
    return p;
  }

  public static AgentStatus fromProperties(Properties p) {
    int count = Integer.parseInt(p.getProperty("patches", "0"));
    List<AppliedPatch> patches = new ArrayList<AppliedPatch>(count);
    for (int i = 0; i < count; i++) {
      String classes = p.getProperty("patch." + i + ".classes", "");
      patches.add(
          new AppliedPatch(
              p.getProperty("patch." + i + ".id"),
              Long.parseLong(p.getProperty("patch." + i + ".appliedAt", "0")),
              PatchMethod.valueOf(p.getProperty("patch." + i + ".method")),
              classes.isEmpty() ? Collections.<String>emptyList() : Arrays.asList(classes.split(","))));
    }
    int warningCount = Integer.parseInt(p.getProperty("warnings", "0"));
    List<String> warnings = new ArrayList<String>(warningCount);
    for (int i = 0; i < warningCount; i++) {
      warnings.add(p.getProperty("warning." + i, ""));
    }
    return new AgentStatus(
        p.getProperty("jvm.version", ""),
        p.getProperty("jvm.vendor", ""),
        Boolean.parseBoolean(p.getProperty("agent.loadedAtStartup", "false")),
        Long.parseLong(p.getProperty("jvm.startMillis", "0")),
        patches,
        warnings);
  }

  private static String join(List<String> values) {
    StringBuilder out = new StringBuilder();
    for (String value : values) {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(value);
    }
    return out.toString();
  }
}
