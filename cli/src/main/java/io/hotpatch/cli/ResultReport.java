package io.hotpatch.cli;

import io.hotpatch.core.ClassResult;
import io.hotpatch.core.PatchResult;
import java.util.List;
import java.util.Map;

/**
 * A patch result as {@code --json} prints it: overall status, patch id, timing (whole and by phase:
 * the agent's own phases, then {@code socket} or {@code attach}, the round trip as this process saw it),
 * the version of the agent that answered and one entry per class.
 */
record ResultReport(
    String status,
    String operation,
    long pid,
    String patchId,
    boolean dryRun,
    String message,
    long elapsedMillis,
    String agentVersion,
    Map<String, Double> phases,
    List<ClassEntry> classes) {

  /** One class (in one class loader). */
  record ClassEntry(String name, String loader, String state, String message) {}

  static ResultReport of(long pid, PatchResult result, long elapsedMillis) {
    return new ResultReport(result.getState().name(), result.getOperation(), pid, result.getPatchId(),
        result.isDryRun(), result.getMessage(), elapsedMillis, result.getAgentVersion(), result.getPhases(),
        result.getClasses().stream().map(ResultReport::entry).toList());
  }

  private static ClassEntry entry(ClassResult c) {
    return new ClassEntry(c.getClassName(), c.getLoader(), c.getState().name(), c.getMessage());
  }

  /** Human lines: one per class, then the overall line with the patch id and the elapsed time. */
  List<String> lines() {
    List<String> lines = new java.util.ArrayList<>();
    for (ClassEntry c : classes) {
      lines.add(String.format("  %-19s %s%s%s", c.state(), c.name(), c.loader().isEmpty() ? "" : " [" + c.loader() + "]",
          c.message().isEmpty() ? "" : ": " + c.message()));
    }
    String state = dryRun && "APPLIED".equals(status) ? "WOULD APPLY (dry run)" : status;
    String way = phases.containsKey("socket") ? " (resident agent, socket)" : phases.containsKey("attach") ? " (attach)" : "";
    lines.add(state + (patchId.isEmpty() ? "" : " " + patchId) + " in " + elapsedMillis + " ms" + way + ": " + message);
    return lines;
  }
}
