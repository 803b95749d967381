package io.hotpatch.pods;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line, with the repository's containers.conf (CONTAINERS_CONF); every call is
 * bounded in time.
 */
final class Podman {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  /** What a podman command printed (stdout and stderr together) and how it exited. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private Podman() {}

  /**
   * Where the pod tier's containers.conf lives (runtime runc, ulimits under this host's hard
   * limits).
   */
  static Path containersConf() {
    return PodTier.repo().resolve("pods/containers.conf");
  }

  /** Runs {@code podman args...}; a non-zero exit is returned, not thrown. */
  static Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("podman");
    command.addAll(args);
    try {
      Path output = Files.createTempFile("podman-", ".log");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("CONTAINERS_CONF", containersConf().toString());
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
          throw new IllegalStateException(
              String.join(" ", command)
                  + " did not end within "
                  + TIMEOUT.toSeconds()
                  + " s: "
                  + Files.readString(output, StandardCharsets.UTF_8).strip());
        }
        return new Result(
            process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  static Result run(String... args) {
    return run(List.of(args));
  }

  /** Runs a command that must succeed, and returns its output. */
  static String check(String... args) {
    Result result = run(args);
    if (!result.ok()) {
      throw new IllegalStateException(
          "podman "
              + String.join(" ", args)
              + " exited with "
              + result.exitCode()
              + ": "
              + result.output());
    }
    return result.output();
  }

  /**
   * The options of a container run as a restricted pod's securityContext asks: as {@code uid} and
   * {@code gid}, no capabilities, no privilege escalation.
   */
  static List<String> restricted(long uid, long gid) {
    return List.of(
        "--user", uid + ":" + gid, "--cap-drop", "ALL", "--security-opt", "no-new-privileges");
  }

  /** The host PID of a running container's first process. */
  static long pid(String container) {
    return Long.parseLong(check("inspect", "--format", "{{.State.Pid}}", container).strip());
  }

  /** A container's log so far (for an assertion message). */
  static String logs(String container) {
    return run("logs", container).output();
  }

  /**
   * Removes a container, running or not; quiet when it does not exist (cleanup after a failure).
   */
  static void removeContainer(String name) {
    run("rm", "--force", "--time", "2", "--ignore", name);
  }

  /** Removes a pod with its containers; quiet when it does not exist. */
  static void removePod(String name) {
    run("pod", "rm", "--force", "--time", "2", "--ignore", name);
  }
}
