package io.hotpatch.pods;

import io.hotpatch.sample.Http;
import io.hotpatch.testkit.LocalTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the *Pod tests only where podman runs them (as root, with runc); elsewhere disables them and
 * prints the reason once. Where podman runs, the image tarballs must be there, and are loaded once,
 * before the first test class.
 */
public final class PodTier implements ExecutionCondition, BeforeAllCallback {
  static final String HOW_TO_RUN =
      "run `scripts/test-pods.sh` as root on a machine with podman and runc"
          + " (apt-get install -y podman runc)";
  static final String OPERATOR_IMAGE = "hotpatch/hotpatch-operator:0.1.0";
  static final String SIDECAR_IMAGE = "hotpatch/hotpatch-sidecar:0.1.0";
  static final String SAMPLE_IMAGE = "hotpatch/sample-checkout:0.1.0";
  private static final AtomicBoolean PRINTED = new AtomicBoolean();
  private static volatile ConditionEvaluationResult verdict;
  private static boolean loaded;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    ConditionEvaluationResult result = verdict();
    if (result.isDisabled() && PRINTED.compareAndSet(false, true)) {
      System.out.println(result.getReason().orElseThrow());
    }
    return result;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    loadImages();
  }

  private static synchronized ConditionEvaluationResult verdict() {
    if (verdict == null) {
      verdict = decide();
    }
    return verdict;
  }

  private static ConditionEvaluationResult decide() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return ConditionEvaluationResult.disabled(
          "hotpatch pods SKIPPED: not root (podman plays pods with runAsUser"
              + " and shared PID namespaces as root only here); "
              + HOW_TO_RUN);
    }
    Podman.Result info;
    try {
      info = Podman.run("info", "--format", "{{.Host.OCIRuntime.Name}}");
    } catch (RuntimeException noPodman) {
      return ConditionEvaluationResult.disabled(
          "hotpatch pods SKIPPED: no podman (" + noPodman.getMessage() + "); " + HOW_TO_RUN);
    }
    if (!info.ok()) {
      return ConditionEvaluationResult.disabled(
          "hotpatch pods SKIPPED: `podman info` failed ("
              + info.output().lines().reduce((a, b) -> b).orElse("")
              + "); "
              + HOW_TO_RUN);
    }
    return ConditionEvaluationResult.enabled("podman runs here with " + info.output());
  }

  /** The repository's root directory. */
  static Path repo() {
    return Path.of(System.getProperty("hotpatch.pods.repo", "..")).toAbsolutePath().normalize();
  }

  /** Loads the three image tarballs of scripts/build-images.sh into podman, once per test JVM. */
  private static synchronized void loadImages() {
    if (loaded) {
      return;
    }
    Path dir = Path.of(System.getProperty("hotpatch.pods.images", "../images/target"));
    for (String name : List.of("operator", "sidecar", "sample")) {
      Path tar = dir.resolve("hotpatch-" + name + ".tar");
      if (!Files.isRegularFile(tar)) {
        throw new IllegalStateException(
            tar.toAbsolutePath().normalize()
                + " is missing: run scripts/build-images.sh"
                + " first");
      }
      Podman.check("load", "--quiet", "--input", tar.toString());
    }
    loaded = true;
  }

  /**
   * A container or pod name no other run uses, so that a run never removes another's containers.
   */
  static String unique(String what) {
    return "hp-pods-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A host directory a container user may write, as an emptyDir is for the pod's users. */
  static Path sharedDir(Path dir, int uid) {
    try {
      Files.createDirectories(dir);
      Files.setAttribute(dir, "unix:uid", uid);
      Files.setAttribute(dir, "unix:gid", uid);
      for (Path parent = dir.getParent(); parent != null; parent = parent.getParent()) {
        if (!Files.getPosixFilePermissions(parent).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir + " for uid " + uid, e);
    }
  }

  /** Makes the certificate files readable by the container's user, as a mounted Secret is. */
  static void readableByAll(LocalTls tls) {
    try {
      for (Path file : List.of(tls.caCert(), tls.certChain(), tls.key())) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Fails, with the container's log, once the container has ended (a fail-fast condition of a
   * wait).
   */
  static void assertRunning(String container) {
    Podman.Result state =
        Podman.run("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", container);
    if (state.ok() && state.output().startsWith("exited")) {
      throw new AssertionError(
          "container " + container + " ended (" + state.output() + "): " + Podman.logs(container));
    }
  }

  /** The body of GET {@code uri}, or empty while it does not answer 200. */
  static String tryGet(URI uri) {
    try {
      return Http.get(uri);
    } catch (IllegalStateException notYet) {
      return "";
    }
  }
}
