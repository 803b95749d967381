package io.hotpatch.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hotpatch revert}: restores the classes a patch replaced in a running JVM. */
@Command(
    name = "revert",
    description = "Revert an active patch in a running JVM (newest first when patches stack).")
final class RevertCommand extends CliCommand {
  private static final Pattern PATCH_ID = Pattern.compile("[0-9a-f]{1,64}");

  @Option(names = "--pid", required = true, paramLabel = "PID", description = "The target JVM.")
  long pid;

  @Parameters(
      index = "0",
      paramLabel = "PATCH_ID",
      description = "Patch id (bundle sha256) or a unique prefix of it.")
  String patchId;

  @Override
  public Integer call() {
    if (!PATCH_ID.matcher(patchId).matches()) {
      throw CliException.usage(
          "'"
              + patchId
              + "' is not a patch id: pass the bundle's sha256 or a unique prefix of it,"
              + " as 'hotpatch status --pid "
              + pid
              + "' lists them");
    }
    long start = System.nanoTime();
    return printResult(pid, Agent.local().revert(pid, patchId), start);
  }
}
