package io.hotpatch.sidecar;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the few {@code /proc} entries the attacher needs; the root is a parameter so tests can fake
 * it.
 */
final class ProcFs {
  private static final long MAX_OPTION_FILE_BYTES = 1 << 20;

  private final Path root;

  ProcFs(Path root) {
    this.root = root;
  }

  static ProcFs system() {
    return new ProcFs(Path.of("/proc"));
  }

  Path root() {
    return root;
  }

  Path dir(long pid) {
    return root.resolve(Long.toString(pid));
  }

  Path self() {
    return root.resolve("self");
  }

  boolean exists(long pid) {
    return Files.isDirectory(dir(pid));
  }

  /** Process ids listed in the proc root, in no particular order. */
  List<Long> pids() throws IOException {
    List<Long> pids = new ArrayList<>();
    try (var entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
          pids.add(Long.parseLong(name));
        }
      }
    }
    return pids;
  }

  /** argv of the process; empty for kernel threads and zombies. */
  static List<String> cmdline(Path procDir) throws IOException {
    return splitNul(Files.readAllBytes(procDir.resolve("cmdline")));
  }

  /** The fields of {@code status} ("Uid", "NSpid", "SigCgt", ...) with their raw values. */
  static Map<String, String> status(Path procDir) throws IOException {
    Map<String, String> fields = new HashMap<>();
    for (String line : Files.readAllLines(procDir.resolve("status"), StandardCharsets.UTF_8)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  /** The environment of the process, or empty when it is not readable by us. */
  static Map<String, String> environ(Path procDir) {
    Map<String, String> env = new HashMap<>();
    try {
      for (String entry : splitNul(Files.readAllBytes(procDir.resolve("environ")))) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
          env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
    } catch (IOException | SecurityException unreadable) {
      // another user's process: we only learn what its command line tells
    }
    return env;
  }

  /** Target of a symlink such as {@code ns/mnt} or {@code exe}, or empty when not readable. */
  static Optional<String> link(Path procDir, String name) {
    try {
      return Optional.of(Files.readSymbolicLink(procDir.resolve(name)).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException unreadable) {
      return Optional.empty();
    }
  }

  /**
   * A file named on the process's command line (an {@code @argfile}, say), read as the process sees
   * it; empty when not readable or unreasonably large.
   */
  static Optional<String> readAsSeenBy(Path procDir, String path) {
    Path file =
        path.startsWith("/")
            ? procDir.resolve("root").resolve(path.substring(1))
            : procDir.resolve("cwd").resolve(path);
    try {
      if (Files.size(file) > MAX_OPTION_FILE_BYTES) {
        return Optional.empty();
      }
      return Optional.of(Files.readString(file));
    } catch (IOException | SecurityException unreadable) {
      return Optional.empty();
    }
  }

  /**
   * JAVA_VERSION from the {@code release} file of the JDK whose {@code bin/java} the process runs,
   * read as the process sees it; empty when unreadable (another user's process, no release file).
   */
  static Optional<String> javaVersion(Path procDir) {
    Optional<String> exe = link(procDir, "exe");
    Path home = exe.isPresent() ? Path.of(exe.get()).getParent() : null;
    home = home == null ? null : home.getParent();
    if (home == null || !home.isAbsolute()) {
      return Optional.empty();
    }
    return readAsSeenBy(procDir, home.resolve("release").toString())
        .flatMap(
            release ->
                release
                    .lines()
                    .filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", "").trim())
                    .findFirst());
  }

  /**
   * Whether {@code maps} names a library whose file name is {@code library}; empty when maps is not
   * readable (another user's process).
   */
  static Optional<Boolean> mapsLibrary(Path procDir, String library) {
    try (BufferedReader maps =
        Files.newBufferedReader(procDir.resolve("maps"), StandardCharsets.UTF_8)) {
      String suffix = "/" + library;
      for (String line = maps.readLine(); line != null; line = maps.readLine()) {
        if (line.endsWith(suffix) || line.endsWith(suffix + " (deleted)")) {
          return Optional.of(true);
        }
      }
      return Optional.of(false);
    } catch (IOException | SecurityException unreadable) {
      return Optional.empty();
    }
  }

  /**
   * The number at {@code index} (-1 = last) of a status field, e.g. "Uid" index 1 = effective uid.
   */
  static long statusNumber(Map<String, String> status, String field, int index, long fallback) {
    String value = status.get(field);
    if (value == null) {
      return fallback;
    }
    String[] parts = value.split("\\s+");
    if (index < 0) {
      index = parts.length - 1;
    }
    return index < parts.length ? Long.parseLong(parts[index]) : fallback;
  }

  private static List<String> splitNul(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return List.of();
    }
    if (text.endsWith("\0")) {
      text = text.substring(0, text.length() - 1);
    }
    return Arrays.asList(text.split("\0", -1));
  }
}
