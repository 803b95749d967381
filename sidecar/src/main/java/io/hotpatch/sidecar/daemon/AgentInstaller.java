package io.hotpatch.sidecar.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * {@code SidecarMain --install-agent}: what the injected {@code hotpatch-init} container runs
 * before any app container starts, so the app JVM's {@code -javaagent} always finds the agent jar.
 */
final class AgentInstaller {
  /** Where the sidecar image keeps the agent jar. */
  static final String DEFAULT_SOURCE = "/opt/hotpatch/hotpatch-agent.jar";

  private AgentInstaller() {}

  /** Copies the agent jar into $HOTPATCH_DIR/agent/ (atomically, world-readable) and returns it. */
  static Path install(Map<String, String> env) throws SidecarConfig.Invalid, IOException {
    Path source = source(env);
    String dirText = env.getOrDefault("HOTPATCH_DIR", "");
    Path dir = Path.of(dirText.isBlank() ? "/hotpatch" : dirText);
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new SidecarConfig.Invalid(
          "HOTPATCH_DIR="
              + dir
              + " is not a writable directory: mount the"
              + " shared hotpatch emptyDir there");
    }
    Path target = dir.resolve("agent").resolve("hotpatch-agent.jar");
    Files.createDirectories(target.getParent());
    Path partial = Files.createTempFile(target.getParent(), "hotpatch-agent", ".partial");
    Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
    // The app container may run as another user than whoever copied the jar: it must read it.
    Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(target.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /**
   * The agent jar in the image ({@code HOTPATCH_AGENT_SOURCE}); an ephemeral container attaches
   * with it.
   */
  static Path source(Map<String, String> env) throws SidecarConfig.Invalid {
    String sourceText = env.getOrDefault("HOTPATCH_AGENT_SOURCE", "");
    Path source = Path.of(sourceText.isBlank() ? DEFAULT_SOURCE : sourceText);
    if (!Files.isRegularFile(source)) {
      throw new SidecarConfig.Invalid(
          "HOTPATCH_AGENT_SOURCE="
              + source
              + " is not a file: use the sidecar"
              + " image, which holds the agent at "
              + DEFAULT_SOURCE);
    }
    return source;
  }
}
