package io.hotpatch.sidecar.daemon;

import io.hotpatch.sidecar.JvmFinder;
import io.hotpatch.sidecar.JvmProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Picks the app JVM among the pod's processes: the one whose environment names the target container
 * ({@code HOTPATCH_CONTAINER_NAME}, set by the webhook), else the only JVM there is. An ephemeral
 * container ({@link #ephemeral}) sees the target container's processes, whose JVM the webhook never
 * marked: it takes the only JVM of its own UID in another mount namespace.
 */
final class TargetLocator {
  static final String CONTAINER_VARIABLE = "HOTPATCH_CONTAINER_NAME";

  /** The target, or why there is none (one line). */
  record Lookup(JvmProcess jvm, String problem) {}

  private final Supplier<List<JvmProcess>> jvms;
  private final Path procRoot;
  private final String container;
  private final boolean ephemeral;

  TargetLocator(String container) {
    this(new JvmFinder()::findAll, Path.of("/proc"), container);
  }

  TargetLocator(Supplier<List<JvmProcess>> jvms, Path procRoot, String container) {
    this(jvms, procRoot, container, false);
  }

  private TargetLocator(
      Supplier<List<JvmProcess>> jvms, Path procRoot, String container, boolean ephemeral) {
    this.jvms = jvms;
    this.procRoot = procRoot;
    this.container = container;
    this.ephemeral = ephemeral;
  }

  /** For an ephemeral container: the JVMs it could attach to (same UID) in another container. */
  static TargetLocator ephemeral(Supplier<List<JvmProcess>> jvms, long ourUid) {
    return new TargetLocator(
        () ->
            jvms.get().stream()
                .filter(jvm -> jvm.otherMountNamespace() && jvm.uid() == ourUid)
                .collect(Collectors.toList()),
        Path.of("/proc"),
        "",
        true);
  }

  Lookup locate() {
    List<JvmProcess> all;
    try {
      all = jvms.get();
    } catch (UncheckedIOException e) {
      return new Lookup(null, e.getMessage());
    }
    if (ephemeral) {
      return pick(
          all,
          "no JVM of this container's UID runs in the target container yet: waiting for it"
              + " (the ephemeral container must run as the app's runAsUser and target its container)",
          "target a container that runs one JVM");
    }
    if (container.isEmpty()) {
      return pick(
          all,
          "no JVM runs in the pod yet: waiting for it (the pod needs"
              + " shareProcessNamespace: true)",
          "set HOTPATCH_CONTAINER to the app container's name");
    }
    List<JvmProcess> inContainer =
        all.stream().filter(jvm -> inContainer(jvm.pid())).collect(Collectors.toList());
    return pick(
        inContainer,
        "no JVM with "
            + CONTAINER_VARIABLE
            + "="
            + container
            + " in its"
            + " environment yet: waiting for container "
            + container
            + " to start its JVM",
        "run one JVM per container, or name the container whose JVM is patched");
  }

  private static Lookup pick(List<JvmProcess> candidates, String none, String fixForMany) {
    if (candidates.size() == 1) {
      return new Lookup(candidates.get(0), "");
    }
    if (candidates.isEmpty()) {
      return new Lookup(null, none);
    }
    String pids =
        candidates.stream().map(jvm -> Long.toString(jvm.pid())).collect(Collectors.joining(", "));
    return new Lookup(
        null, candidates.size() + " JVMs qualify as the target (pids " + pids + "): " + fixForMany);
  }

  /** Whether the process's environment has exactly our container's entry (unreadable = no). */
  private boolean inContainer(long pid) {
    byte[] wanted = (CONTAINER_VARIABLE + "=" + container).getBytes(StandardCharsets.UTF_8);
    byte[] environ;
    try {
      environ = Files.readAllBytes(procRoot.resolve(Long.toString(pid)).resolve("environ"));
    } catch (IOException | SecurityException unreadable) {
      return false;
    }
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start == wanted.length
            && Arrays.equals(environ, start, i, wanted, 0, wanted.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }
}
