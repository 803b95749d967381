package io.hotpatch.cli;

import io.hotpatch.core.ClassResult;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import java.util.List;
import java.util.Map;

/**
 * A patch result as {@code --json} prints it: overall status, patch id, timing (whole and by phase:
 * the agent's own phases, then {@code socket} or {@code attach}, the round trip as this process saw
 * it), the version of the agent that answered and one entry per class.
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

  /** What a dry run reports instead of APPLIED, so that a check never reads as a real apply. */
  static final String WOULD_APPLY = "WOULD_APPLY";

  static ResultReport of(long pid, PatchResult result, long elapsedMillis) {
    boolean dryRun = result.isDryRun();
    return new ResultReport(
        state(result.getState(), dryRun),
        result.getOperation(),
        pid,
        result.getPatchId(),
        dryRun,
        result.getMessage(),
        elapsedMillis,
        result.getAgentVersion(),
        result.getPhases(),
        result.getClasses().stream().map(c -> entry(c, dryRun)).toList());
  }

  private static ClassEntry entry(ClassResult c, boolean dryRun) {
    return new ClassEntry(
        c.getClassName(), c.getLoader(), state(c.getState(), dryRun), c.getMessage());
  }

  private static String state(ResultState state, boolean dryRun) {
    return dryRun && state == ResultState.APPLIED ? WOULD_APPLY : state.name();
  }

  /** Human lines: one per class, then the overall line with the patch id and the elapsed time. */
  List<String> lines() {
    List<String> lines = new java.util.ArrayList<>();
    for (ClassEntry c : classes) {
      lines.add(
          String.format(
              "  %-19s %s%s%s",
              c.state(),
              c.name(),
              c.loader().isEmpty() ? "" : " [" + c.loader() + "]",
              c.message().isEmpty() ? "" : ": " + c.message()));
    }
    String state = dryRun ? status + " (dry run)" : status;
    String way =
        phases.containsKey("socket")
            ? " (resident agent, socket)"
            : phases.containsKey("attach") ? " (attach)" : "";
    lines.add(
        state
            + (patchId.isEmpty() ? "" : " " + patchId)
            + " in "
            + elapsedMillis
            + " ms"
            + way
            + ": "
            + message);
    return lines;
  }
}
