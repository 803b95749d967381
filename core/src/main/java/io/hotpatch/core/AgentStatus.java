package io.hotpatch.core;

import java.util.ArrayList;
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
  private final String agentVersion;

  public AgentStatus(
      String agentVersion,
      String jvmVersion,
      String jvmVendor,
      boolean loadedAtStartup,
      long jvmStartMillis,
      List<AppliedPatch> patches,
      List<String> warnings) {
    this.agentVersion = agentVersion == null ? "" : agentVersion;
    this.jvmVersion = jvmVersion;
    this.jvmVendor = jvmVendor;
    this.loadedAtStartup = loadedAtStartup;
    this.jvmStartMillis = jvmStartMillis;
    this.patches = Collections.unmodifiableList(new ArrayList<AppliedPatch>(patches));
    this.warnings = Collections.unmodifiableList(new ArrayList<String>(warnings));
  }

  /** The version of the agent that runs in the JVM ("" when it predates versions). */
  public String getAgentVersion() {
    return agentVersion;
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

  /** When the JVM started; a later start time than last seen means the JVM restarted. */
  public long getJvmStartMillis() {
    return jvmStartMillis;
  }

  /** Patches the agent knows, oldest first, each with the state of its classes. */
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
    p.setProperty(AgentVersion.REPLY_PROPERTY, agentVersion);
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
      List<PatchedClass> classes = patch.getClasses();
      p.setProperty("patch." + i + ".classCount", String.valueOf(classes.size()));
      for (int j = 0; j < classes.size(); j++) {
        String key = "patch." + i + ".class." + j + ".";
        p.setProperty(key + "name", classes.get(j).getClassName());
        p.setProperty(key + "loader", classes.get(j).getLoader());
        p.setProperty(key + "state", classes.get(j).getState().name());
        p.setProperty(key + "message", classes.get(j).getMessage());
      }
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
      int classCount = Integer.parseInt(p.getProperty("patch." + i + ".classCount", "0"));
      List<PatchedClass> classes = new ArrayList<PatchedClass>(classCount);
      for (int j = 0; j < classCount; j++) {
        String key = "patch." + i + ".class." + j + ".";
        classes.add(
            new PatchedClass(
                p.getProperty(key + "name"),
                p.getProperty(key + "loader", ""),
                PatchedClass.State.valueOf(p.getProperty(key + "state")),
                p.getProperty(key + "message", "")));
      }
      patches.add(
          new AppliedPatch(
              p.getProperty("patch." + i + ".id"),
              Long.parseLong(p.getProperty("patch." + i + ".appliedAt", "0")),
              PatchMethod.valueOf(p.getProperty("patch." + i + ".method")),
              classes));
    }
    int warningCount = Integer.parseInt(p.getProperty("warnings", "0"));
    List<String> warnings = new ArrayList<String>(warningCount);
    for (int i = 0; i < warningCount; i++) {
      warnings.add(p.getProperty("warning." + i, ""));
    }
    return new AgentStatus(
        p.getProperty(AgentVersion.REPLY_PROPERTY, ""),
        p.getProperty("jvm.version", ""),
        p.getProperty("jvm.vendor", ""),
        Boolean.parseBoolean(p.getProperty("agent.loadedAtStartup", "false")),
        Long.parseLong(p.getProperty("jvm.startMillis", "0")),
        patches,
        warnings);
  }
}
