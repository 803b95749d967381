package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * Result of check, apply or revert: an overall state, a one-line message and one entry per class.
 * Travels from the agent to the attacher as {@link Properties} text, so neither side needs a JSON
 * library.
 */
public final class PatchResult {
  private final String operation;
  private final ResultState state;
  private final String patchId;
  private final String message;
  private final boolean dryRun;
  private final List<ClassResult> classes;
  private final String agentVersion;

  public PatchResult(
      String operation,
      ResultState state,
      String patchId,
      String message,
      boolean dryRun,
      List<ClassResult> classes) {
    this(operation, state, patchId, message, dryRun, classes, "");
  }

  private PatchResult(
      String operation,
      ResultState state,
      String patchId,
      String message,
      boolean dryRun,
      List<ClassResult> classes,
      String agentVersion) {
    this.agentVersion = agentVersion == null ? "" : agentVersion;
    this.operation = operation;
    this.state = state;
    this.patchId = patchId == null ? "" : patchId;
    this.message = message == null ? "" : message;
    this.dryRun = dryRun;
    this.classes = Collections.unmodifiableList(new ArrayList<ClassResult>(classes));
  }

  /** A result with no per-class entries, for failures that happen before any class is looked at. */
  public static PatchResult of(String operation, ResultState state, String patchId, String message) {
    return new PatchResult(operation, state, patchId, message, false, new ArrayList<ClassResult>());
  }

  public String getOperation() {
    return operation;
  }

  public ResultState getState() {
    return state;
  }

  public String getPatchId() {
    return patchId;
  }

  public String getMessage() {
    return message;
  }

  public boolean isDryRun() {
    return dryRun;
  }

  public List<ClassResult> getClasses() {
    return classes;
  }

  /** The version of the agent that produced this result ("" when it predates versions). */
  public String getAgentVersion() {
    return agentVersion;
  }

  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("operation", operation);
    p.setProperty("state", state.name());
    p.setProperty("patchId", patchId);
    p.setProperty("message", message);
    p.setProperty("dryRun", String.valueOf(dryRun));
    p.setProperty("classes", String.valueOf(classes.size()));
    if (!agentVersion.isEmpty()) {
      p.setProperty(AgentVersion.REPLY_PROPERTY, agentVersion);
    }
    for (int i = 0; i < classes.size(); i++) {
      ClassResult c = classes.get(i);
      p.setProperty("class." + i + ".name", c.getClassName());
      p.setProperty("class." + i + ".loader", c.getLoader());
      p.setProperty("class." + i + ".state", c.getState().name());
      p.setProperty("class." + i + ".message", c.getMessage());
    }
    return p;
  }

  public static PatchResult fromProperties(Properties p) {
    int count = Integer.parseInt(p.getProperty("classes", "0"));
    List<ClassResult> classes = new ArrayList<ClassResult>(count);
    for (int i = 0; i < count; i++) {
      classes.add(
          new ClassResult(
              p.getProperty("class." + i + ".name"),
              p.getProperty("class." + i + ".loader", ""),
              ResultState.valueOf(p.getProperty("class." + i + ".state")),
              p.getProperty("class." + i + ".message", "")));
    }
    return new PatchResult(
        p.getProperty("operation", ""),
        ResultState.valueOf(p.getProperty("state")),
        p.getProperty("patchId", ""),
        p.getProperty("message", ""),
        Boolean.parseBoolean(p.getProperty("dryRun", "false")),
        classes,
        p.getProperty(AgentVersion.REPLY_PROPERTY, ""));
  }

  @Override
  public String toString() {
    return operation + " " + state + (patchId.isEmpty() ? "" : " " + patchId) + ": " + message;
  }
}
