package io.hotpatch.sidecar.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Work folders for targets that run in their own mount namespace or as another user. */
final class TestWorkDirs {
  private static final Path ROOT = Path.of("/var/tmp");

  private TestWorkDirs() {}

  /** A fresh folder under /var/tmp, world-readable, removed when the test JVM exits. */
  static Path outsideTmp(String prefix) {
    try {
      Path dir = Files.createTempDirectory(Files.createDirectories(ROOT), prefix);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies {@code file} into {@code dir} (created world-readable); a missing file maps to a missing
   * copy.
   */
  static Path copyInto(Path file, Path dir) {
    Path copy = dir.resolve(file.getFileName());
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      if (Files.isRegularFile(file)) {
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> tree = Files.walk(dir)) {
      tree.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException | UncheckedIOException e) {
      // best effort at exit
    }
  }
}
