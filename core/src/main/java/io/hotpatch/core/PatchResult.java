package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final Map<String, Double> phases;

  public PatchResult(
      String operation,
      ResultState state,
      String patchId,
      String message,
      boolean dryRun,
      List<ClassResult> classes) {
    this(
        operation,
        state,
        patchId,
        message,
        dryRun,
        classes,
        "",
        new LinkedHashMap<String, Double>());
  }

  private PatchResult(
      String operation,
      ResultState state,
      String patchId,
      String message,
      boolean dryRun,
      List<ClassResult> classes,
      String agentVersion,
      Map<String, Double> phases) {
    this.phases = Collections.unmodifiableMap(new LinkedHashMap<String, Double>(phases));
    this.agentVersion = agentVersion == null ? "" : agentVersion;
    this.operation = operation;
    this.state = state;
    this.patchId = patchId == null ? "" : patchId;
    this.message = message == null ? "" : message;
    this.dryRun = dryRun;
    this.classes = Collections.unmodifiableList(new ArrayList<ClassResult>(classes));
  }

  /** A result with no per-class entries, for failures that happen before any class is looked at. */
  public static PatchResult of(
      String operation, ResultState state, String patchId, String message) {
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

  /** Milliseconds spent in each phase of the operation, in order (empty when not measured). */
  public Map<String, Double> getPhases() {
    return phases;
  }

  /** This result with {@code more} phases after the ones it has (a phase named again adds up). */
  public PatchResult withPhases(Map<String, Double> more) {
    Map<String, Double> all = new LinkedHashMap<String, Double>(phases);
    for (Map.Entry<String, Double> phase : more.entrySet()) {
      Double before = all.get(phase.getKey());
      all.put(phase.getKey(), before == null ? phase.getValue() : before + phase.getValue());
    }
    return new PatchResult(operation, state, patchId, message, dryRun, classes, agentVersion, all);
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
    StringBuilder names = new StringBuilder();
    for (Map.Entry<String, Double> phase : phases.entrySet()) {
      names.append(names.length() == 0 ? "" : ",").append(phase.getKey());
      p.setProperty("phase." + phase.getKey(), String.valueOf(phase.getValue()));
    }
    if (names.length() > 0) {
      p.setProperty("phases", names.toString());
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
    Map<String, Double> phases = new LinkedHashMap<String, Double>();
    for (String name : p.getProperty("phases", "").split(",")) {
      if (!name.isEmpty()) {
        phases.put(name, Double.valueOf(p.getProperty("phase." + name, "0")));
      }
    }
    return new PatchResult(
        p.getProperty("operation", ""),
        ResultState.valueOf(p.getProperty("state")),
        p.getProperty("patchId", ""),
        p.getProperty("message", ""),
        Boolean.parseBoolean(p.getProperty("dryRun", "false")),
        classes,
        p.getProperty(AgentVersion.REPLY_PROPERTY, ""),
        phases);
  }

  @Override
  public String toString() {
    return operation + " " + state + (patchId.isEmpty() ? "" : " " + patchId) + ": " + message;
  }
}
