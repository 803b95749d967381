package io.hotpatch.sidecar.daemon;

import io.hotpatch.sidecar.JvmProcess;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Where an ephemeral container finds its pod's identity: the service account token the kubelet
 * mounts into the app container, read through {@code /proc/<pid>/root} of the app's JVM (found
 * again when it ends). The operator accepts it only from pods that carry its ephemeral container.
 */
final class PodToken implements Supplier<Path> {
  static final String FIX =
      "the app container must mount its service account token (automountServiceAccountToken"
          + " not false) and this container must run as the app's UID";

  private final TargetLocator locator;
  private final Path tokenInTarget;
  private ProcessHandle jvm;

  PodToken(TargetLocator locator, Path tokenInTarget) {
    this.locator = locator;
    this.tokenInTarget = tokenInTarget;
  }

  @Override
  public synchronized Path get() {
    if (jvm == null || !jvm.isAlive()) {
      JvmProcess found = locator.locate().jvm();
      jvm = found == null ? null : ProcessHandle.of(found.pid()).orElse(null);
    }
    // No JVM yet: a path that names the reason and cannot exist, so the request fails with it.
    String pid = jvm == null ? "<no-app-jvm-yet>" : Long.toString(jvm.pid());
    return Path.of("/proc", pid, "root").resolve(tokenInTarget.toString().substring(1));
  }
}
