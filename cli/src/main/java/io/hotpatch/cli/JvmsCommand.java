package io.hotpatch.cli;

import io.hotpatch.sidecar.JvmFinder;
import io.hotpatch.sidecar.JvmProcess;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code hotpatch jvms}: the JVMs on this machine (from /proc), with what a patch needs to know.
 */
@Command(
    name = "jvms",
    description =
        "List the JVMs visible here: pid, uid, main class, Java version, mount namespace.")
final class JvmsCommand extends CliCommand {
  /** One row of the listing (and of the JSON). */
  record Jvm(
      long pid, int uid, String mainClass, String javaVersion, boolean otherMountNamespace) {}

  @Override
  public Integer call() {
    List<Jvm> jvms = new ArrayList<>();
    for (JvmProcess process : new JvmFinder().findAll()) {
      jvms.add(
          new Jvm(
              process.pid(),
              process.uid(),
              process.mainClass(),
              process.javaVersion().isEmpty() ? "?" : process.javaVersion(),
              process.otherMountNamespace()));
    }
    if (json) {
      printJson(new Report("OK", jvms));
      return 0;
    }
    say(String.format("%-8s %-6s %-10s %-9s %s", "PID", "UID", "JAVA", "MOUNT-NS", "MAIN"));
    for (Jvm jvm : jvms) {
      say(
          String.format(
              "%-8d %-6d %-10s %-9s %s",
              jvm.pid(),
              jvm.uid(),
              jvm.javaVersion(),
              jvm.otherMountNamespace() ? "other" : "same",
              jvm.mainClass()));
    }
    if (jvms.isEmpty()) {
      say("(no JVM visible to this user)");
    }
    return 0;
  }

  /** What {@code --json} prints. */
  record Report(String status, List<Jvm> jvms) {}
}
