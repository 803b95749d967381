package io.hotpatch.sidecar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Finds JVMs by scanning {@code /proc} (so it also sees JVMs started with -XX:-UsePerfData, which
 * the Attach API's list misses).
 */
public final class JvmFinder {
  private final ProcFs proc;
  private final LongSupplier selfPid;

  public JvmFinder() {
    // Looked up only to list JVMs: ProcessHandle's first use costs a short command milliseconds.
    this(ProcFs.system(), () -> ProcessHandle.current().pid());
  }

  JvmFinder(ProcFs proc, LongSupplier selfPid) {
    this.proc = proc;
    this.selfPid = selfPid;
  }

  /** All JVMs visible to this process except itself, by pid. */
  public List<JvmProcess> findAll() {
    List<JvmProcess> jvms = new ArrayList<>();
    long self = selfPid.getAsLong();
    List<Long> pids;
    try {
      pids = proc.pids();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + proc.root() + ": mount procfs there", e);
    }
    for (long pid : pids) {
      if (pid != self) {
        describe(pid).ifPresent(jvms::add);
      }
    }
    jvms.sort(Comparator.comparingLong(JvmProcess::pid));
    return jvms;
  }

  /** The JVM with this pid, or an {@link AttachFailure} saying why it is not one we can use. */
  public JvmProcess find(long pid) throws AttachFailure {
    if (pid <= 0 || !proc.exists(pid)) {
      throw AttachFailure.noSuchProcess(pid);
    }
    return describe(pid).orElseThrow(() -> AttachFailure.notAJvm(pid, commandOf(pid)));
  }

  private Optional<JvmProcess> describe(long pid) {
    Path dir = proc.dir(pid);
    try {
      List<String> argv = ProcFs.cmdline(dir);
      if (argv.isEmpty() || !isJvm(dir, argv)) {
        return Optional.empty();
      }
      Map<String, String> status = ProcFs.status(dir);
      Optional<String> ourNamespace = ProcFs.link(proc.self(), "ns/mnt");
      Optional<String> theirNamespace = ProcFs.link(dir, "ns/mnt");
      boolean otherNamespace =
          ourNamespace.isPresent()
              && theirNamespace.isPresent()
              && !ourNamespace.equals(theirNamespace);
      return Optional.of(
          new JvmProcess(
              pid,
              (int) ProcFs.statusNumber(status, "Uid", 1, -1),
              (int) ProcFs.statusNumber(status, "Gid", 1, -1),
              argv,
              JvmCommandLine.parse(argv, path -> ProcFs.readAsSeenBy(dir, path)).main(),
              ProcFs.javaVersion(dir).orElse(""),
              otherNamespace));
    } catch (IOException | RuntimeException vanished) {
      // the process ended while we looked at it
      return Optional.empty();
    }
  }

  private static boolean isJvm(Path dir, List<String> argv) {
    Optional<Boolean> mapped = ProcFs.mapsLibrary(dir, "libjvm.so");
    if (mapped.isPresent()) {
      return mapped.get();
    }
    String exe = ProcFs.link(dir, "exe").orElse("");
    return exe.endsWith("/java") || argv.get(0).endsWith("java");
  }

  private String commandOf(long pid) {
    try {
      return String.join(" ", ProcFs.cmdline(proc.dir(pid)));
    } catch (IOException e) {
      return "";
    }
  }
}
