package io.hotpatch.cli;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchedClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hotpatch status}: the patches a running JVM knows, the state of each class, and the
 * agent's warnings.
 */
@Command(
    name = "status",
    description = {
      "Show the JVM's version and start time, its patches (Hot or Startup) with the state of every class,"
          + " and the agent's warnings.",
      "A patch is APPLIED when a class runs it, PENDING while its classes wait to load, NOT_APPLIED when"
          + " every class was skipped (for example a bundle built for another version): the reason is on the class."
    })
final class StatusCommand extends CliCommand {
  @Option(names = "--pid", required = true, paramLabel = "PID", description = "The target JVM.")
  long pid;

  /** What {@code --json} prints. */
  record Report(
      String status,
      long pid,
      String jvmVersion,
      String jvmVendor,
      String jvmStartedAt,
      String agentVersion,
      String agent,
      List<Patch> patches,
      List<String> warnings) {

    static Report of(long pid, AgentStatus status) {
      return new Report(
          "OK",
          pid,
          status.getJvmVersion(),
          status.getJvmVendor(),
          Instant.ofEpochMilli(status.getJvmStartMillis()).toString(),
          status.getAgentVersion(),
          status.isLoadedAtStartup() ? "loaded at start (-javaagent)" : "attached",
          status.getPatches().stream().map(Patch::of).toList(),
          status.getWarnings());
    }

    /** Human lines: the JVM, then each patch with its classes, then the warnings. */
    List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add(
          "pid "
              + pid
              + ": Java "
              + jvmVersion
              + " ("
              + jvmVendor
              + "), started "
              + jvmStartedAt
              + ", agent "
              + agentVersion
              + " "
              + agent);
      if (patches.isEmpty()) {
        lines.add("no patches");
      }
      for (Patch patch : patches) {
        lines.add(
            String.format(
                "%s %-7s %-11s since %s%s",
                patch.id(),
                patch.method(),
                patch.state(),
                patch.appliedAt(),
                patch.state().equals(AppliedPatch.State.NOT_APPLIED.name())
                    ? ": every class was skipped, the JVM runs none of this patch"
                    : ""));
        for (ClassState c : patch.classes()) {
          lines.add(
              String.format(
                  "  %-8s %s%s%s",
                  c.state(),
                  c.name(),
                  c.loader().isEmpty() ? "" : " [" + c.loader() + "]",
                  c.message().isEmpty() ? "" : ": " + c.message()));
        }
      }
      warnings.forEach(warning -> lines.add("warning: " + warning));
      return lines;
    }
  }

  /** One patch the agent knows. */
  record Patch(String id, String method, String state, String appliedAt, List<ClassState> classes) {
    static Patch of(AppliedPatch patch) {
      return new Patch(
          patch.getId(),
          patch.getMethod().displayName(),
          patch.getState().name(),
          Instant.ofEpochMilli(patch.getAppliedAtMillis()).toString(),
          patch.getClasses().stream().map(ClassState::of).toList());
    }
  }

  /** One class copy of a patch: PATCHED, PENDING or SKIPPED, and why. */
  record ClassState(String name, String loader, String state, String message) {
    static ClassState of(PatchedClass c) {
      return new ClassState(c.getClassName(), c.getLoader(), c.getState().name(), c.getMessage());
    }
  }

  @Override
  public Integer call() {
    Report report = Report.of(pid, Agent.local().status(pid));
    if (json) {
      printJson(report);
    } else {
      report.lines().forEach(this::say);
    }
    return 0;
  }
}
