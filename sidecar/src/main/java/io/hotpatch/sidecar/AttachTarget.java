package io.hotpatch.sidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the attacher must know about a JVM right before attaching: identity, namespaces, signal
 * handling and its effective JVM options.
 *
 * @param nsPid the pid inside the target's own pid namespace (names its attach files)
 * @param procDir {@code /proc/<pid>}; its {@code root} reaches the target's filesystem
 */
record AttachTarget(
    long pid,
    long nsPid,
    int uid,
    int gid,
    boolean catchesSigQuit,
    boolean otherMountNamespace,
    List<String> jvmOptions,
    Path procDir) {

  private static final int SIGQUIT = 3;

  static AttachTarget of(ProcFs proc, JvmProcess jvm) throws AttachFailure {
    Path dir = proc.dir(jvm.pid());
    try {
      Map<String, String> status = ProcFs.status(dir);
      long sigCgt = Long.parseUnsignedLong(status.getOrDefault("SigCgt", "0"), 16);
      List<String> options =
          JvmCommandLine.parse(jvm.commandLine(), path -> ProcFs.readAsSeenBy(dir, path))
              .effectiveOptions(ProcFs.environ(dir));
      return new AttachTarget(
          jvm.pid(),
          ProcFs.statusNumber(status, "NSpid", -1, jvm.pid()),
          jvm.uid(),
          jvm.gid(),
          (sigCgt & (1L << (SIGQUIT - 1))) != 0,
          jvm.otherMountNamespace(),
          options,
          dir);
    } catch (IOException e) {
      throw AttachFailure.noSuchProcess(jvm.pid());
    }
  }

  /** A path of the target's filesystem as reachable from here. */
  Path inTarget(String absolutePath) {
    return procDir.resolve("root").resolve(absolutePath.substring(1));
  }

  /** The attach socket HotSpot creates in its temp directory (always /tmp on Linux). */
  Path socket() {
    return inTarget("/tmp/.java_pid" + nsPid);
  }

  boolean hasSocket() {
    return Files.exists(socket());
  }

  /** The file that, with SIGQUIT, asks HotSpot to start its attach listener. */
  String triggerName() {
    return ".attach_pid" + nsPid;
  }

  boolean sharesOurPidNamespace() {
    return nsPid == pid;
  }
}
