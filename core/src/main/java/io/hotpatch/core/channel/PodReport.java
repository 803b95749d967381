package io.hotpatch.core.channel;

import java.util.ArrayList;
import java.util.List;

/** What a sidecar tells the operator about its pod's JVM and each patch it was asked to run. */
public final class PodReport {
  private long pid;
  private String jvmVersion = "";
  private long jvmStartMillis;
  private boolean agentLoadedAtStartup;
  private String message = "";
  private List<PatchOutcome> outcomes = new ArrayList<PatchOutcome>();

  public PodReport() {}

  /** The JVM's pid in the pod's process namespace; 0 when no JVM was found. */
  public long getPid() {
    return pid;
  }

  public void setPid(long pid) {
    this.pid = pid;
  }

  public String getJvmVersion() {
    return jvmVersion;
  }

  public void setJvmVersion(String jvmVersion) {
    this.jvmVersion = jvmVersion;
  }

  /** When the JVM started (epoch millis): a newer value means the app container restarted. */
  public long getJvmStartMillis() {
    return jvmStartMillis;
  }

  public void setJvmStartMillis(long jvmStartMillis) {
    this.jvmStartMillis = jvmStartMillis;
  }

  public boolean isAgentLoadedAtStartup() {
    return agentLoadedAtStartup;
  }

  public void setAgentLoadedAtStartup(boolean agentLoadedAtStartup) {
    this.agentLoadedAtStartup = agentLoadedAtStartup;
  }

  /** Pod-level problem in one line (no JVM found, attach refused), empty when none. */
  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public List<PatchOutcome> getOutcomes() {
    return outcomes;
  }

  public void setOutcomes(List<PatchOutcome> outcomes) {
    this.outcomes = outcomes;
  }
}
