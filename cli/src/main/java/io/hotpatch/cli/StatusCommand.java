package io.hotpatch.cli;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hotpatch status}: the patches active in a running JVM and how they got there. */
@Command(name = "status", description = "Show the JVM's version and its active patches (Hot or Startup).")
final class StatusCommand extends CliCommand {
  @Option(names = "--pid", required = true, paramLabel = "PID", description = "The target JVM.")
  long pid;

  /** What {@code --json} prints. */
  record Report(String status, long pid, String jvmVersion, String jvmVendor, String agent, List<Patch> patches) {}

  /** One active patch. */
  record Patch(String id, String method, String appliedAt, List<String> classes) {}

  @Override
  public Integer call() {
    AgentStatus status = Agent.local().status(pid);
    List<Patch> patches = status.getPatches().stream().map(StatusCommand::patch).toList();
    Report report = new Report("OK", pid, status.getJvmVersion(), status.getJvmVendor(),
        status.isLoadedAtStartup() ? "loaded at start (-javaagent)" : "attached", patches);
    if (json) {
      printJson(report);
      return 0;
    }
    say("pid " + pid + ": Java " + report.jvmVersion() + " (" + report.jvmVendor() + "), agent " + report.agent());
    if (patches.isEmpty()) {
      say("no active patches");
    }
    for (Patch patch : patches) {
      say(String.format("%-64s %-7s %s %s", patch.id(), patch.method(), patch.appliedAt(), String.join(",", patch.classes())));
    }
    return 0;
  }

  private static Patch patch(AppliedPatch patch) {
    return new Patch(patch.getId(), patch.getMethod().displayName(),
        Instant.ofEpochMilli(patch.getAppliedAtMillis()).toString(), patch.getClasses());
  }
}
