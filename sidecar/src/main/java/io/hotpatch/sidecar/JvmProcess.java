package io.hotpatch.sidecar;

import java.util.List;

/**
 * A JVM found in {@code /proc}: who runs it, what it runs, and whether it lives in another mount
 * namespace than this process (then its files are reached through {@code /proc/<pid>/root}).
 *
 * @param mainClass main class, jar or module as the command line names it (best guess)
 * @param javaVersion JAVA_VERSION of the JDK it runs, or empty when unreadable
 * @param otherMountNamespace true when known to differ from ours; false when equal or unreadable
 */
public record JvmProcess(
    long pid,
    int uid,
    int gid,
    List<String> commandLine,
    String mainClass,
    String javaVersion,
    boolean otherMountNamespace) {

  public JvmProcess {
    commandLine = List.copyOf(commandLine);
  }
}
