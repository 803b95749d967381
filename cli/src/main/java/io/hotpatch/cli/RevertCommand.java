package io.hotpatch.cli;

import io.hotpatch.core.PatchResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hotpatch revert}: restores the classes a patch replaced in a running JVM. */
@Command(name = "revert", description = "Revert an active patch in a running JVM (newest first when patches stack).")
final class RevertCommand extends CliCommand {
  @Option(names = "--pid", required = true, paramLabel = "PID", description = "The target JVM.")
  long pid;

  @Parameters(index = "0", paramLabel = "PATCH_ID", description = "Patch id (bundle sha256) or a unique prefix of it.")
  String patchId;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    PatchResult result = Agent.local().revert(pid, patchId);
    ResultReport report = ResultReport.of(pid, result, (System.nanoTime() - start) / 1_000_000);
    if (json) {
      printJson(report);
    } else {
      report.lines().forEach(this::say);
    }
    return result.getState().exitCode();
  }
}
