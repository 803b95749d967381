package io.hotpatch.cli;

import io.hotpatch.sidecar.JvmFinder;
import io.hotpatch.sidecar.JvmProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code hotpatch jvms}: the JVMs on this machine (from /proc), with what a patch needs to know. */
@Command(name = "jvms", description = "List the JVMs visible here: pid, uid, main class, Java version, mount namespace.")
final class JvmsCommand extends CliCommand {
  /** One row of the listing (and of the JSON). */
  record Jvm(long pid, int uid, String mainClass, String javaVersion, boolean otherMountNamespace) {}

  @Override
  public Integer call() {
    List<Jvm> jvms = new ArrayList<>();
    for (JvmProcess process : new JvmFinder().findAll()) {
      jvms.add(new Jvm(process.pid(), process.uid(), process.mainClass(), javaVersion(process.pid()),
          process.otherMountNamespace()));
    }
    if (json) {
      printJson(new Report("OK", jvms));
      return 0;
    }
    say(String.format("%-8s %-6s %-10s %-9s %s", "PID", "UID", "JAVA", "MOUNT-NS", "MAIN"));
    for (Jvm jvm : jvms) {
      say(String.format("%-8d %-6d %-10s %-9s %s", jvm.pid(), jvm.uid(), jvm.javaVersion(),
          jvm.otherMountNamespace() ? "other" : "same", jvm.mainClass()));
    }
    if (jvms.isEmpty()) {
      say("(no JVM visible to this user)");
    }
    return 0;
  }

  /** What {@code --json} prints. */
  record Report(String status, List<Jvm> jvms) {}

  /** JAVA_VERSION from the release file next to the process's java binary, or "?" when unreadable. */
  static String javaVersion(long pid) {
    try {
      Path exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
      Path home = exe.getParent().getParent();
      Path release = Path.of("/proc", Long.toString(pid), "root").resolve(home.toString().substring(1)).resolve("release");
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          return line.substring("JAVA_VERSION=".length()).replace("\"", "");
        }
      }
    } catch (IOException | RuntimeException unknown) {
      // another user's process, or a JDK without a release file
    }
    return "?";
  }
}
