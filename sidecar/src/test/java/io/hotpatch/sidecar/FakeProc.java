package io.hotpatch.sidecar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds a fake {@code /proc} tree in a directory, one process at a time. */
final class FakeProc {
  private final Path root;

  FakeProc(Path root) {
    this.root = root;
  }

  ProcFs procFs() {
    return new ProcFs(root);
  }

  /** Adds a process; {@code maps} null leaves the maps file out (as if unreadable). */
  Path process(long pid, int uid, String mountNamespace, String maps, String... argv) {
    try {
      Path dir = Files.createDirectories(root.resolve(Long.toString(pid)));
      Files.write(
          dir.resolve("cmdline"),
          (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
      Files.write(
          dir.resolve("status"),
          List.of(
              "Name:\tjava",
              "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid,
              "Gid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid,
              "NSpid:\t" + pid,
              "SigCgt:\t0000000101005ccd"));
      if (maps != null) {
        Files.writeString(dir.resolve("maps"), maps);
      }
      Files.createDirectories(dir.resolve("ns"));
      Files.createSymbolicLink(dir.resolve("ns/mnt"), Path.of("mnt:[" + mountNamespace + "]"));
      Files.createDirectories(dir.resolve("root/tmp"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes the process run {@code home/bin/java} of a JDK whose release file names {@code version}.
   */
  void javaHome(long pid, String home, String version) {
    try {
      Path dir = root.resolve(Long.toString(pid));
      Files.createSymbolicLink(dir.resolve("exe"), Path.of(home, "bin/java"));
      Path release = dir.resolve("root").resolve(home.substring(1)).resolve("release");
      Files.createDirectories(release.getParent());
      Files.writeString(
          release, "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"" + version + "\"\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void self(long pid) {
    try {
      Files.createSymbolicLink(root.resolve("self"), Path.of(Long.toString(pid)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
