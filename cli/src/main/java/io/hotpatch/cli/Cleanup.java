package io.hotpatch.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Stops the processes and removes the temporary files a long command created, in reverse order,
 * once: when the command ends, fails, or the user presses Ctrl-C (through a shutdown hook).
 */
final class Cleanup implements AutoCloseable {
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final List<Path> directories = new ArrayList<>();
  private final Thread hook = new Thread(this::closeAll, "hotpatch-cleanup");
  private final Set<Long> childrenBefore =
      ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
  private boolean closed;

  private Cleanup() {}

  static Cleanup onExit() {
    Cleanup cleanup = new Cleanup();
    Runtime.getRuntime().addShutdownHook(cleanup.hook);
    return cleanup;
  }

  /** Registers a resource to close; returns it for chaining. */
  synchronized <T extends AutoCloseable> T add(T resource) {
    if (closed) {
      closeQuietly(resource);
      throw new IllegalStateException("interrupted: cleaning up");
    }
    resources.push(resource);
    return resource;
  }

  /** Closes one resource now (for example a JVM the demo restarts) instead of at the end. */
  synchronized void closeNow(AutoCloseable resource) {
    resources.remove(resource);
    closeQuietly(resource);
  }

  /** A fresh temporary directory, deleted with everything in it at the end. */
  Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      synchronized (this) {
        directories.add(dir);
      }
      return dir;
    } catch (IOException e) {
      throw CliException.failure(
          "cannot create a temporary directory ("
              + e.getMessage()
              + "): free space in "
              + System.getProperty("java.io.tmpdir")
              + " or set -Djava.io.tmpdir");
    }
  }

  @Override
  public void close() {
    closeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: nothing left to do
    }
  }

  private synchronized void closeAll() {
    closed = true;
    while (!resources.isEmpty()) {
      closeQuietly(resources.pop());
    }
    stopNewChildren();
    for (Path dir : directories) {
      closeQuietly(() -> deleteTree(dir));
    }
    directories.clear();
  }

  /** Child processes not registered yet, such as a JVM still starting when Ctrl-C came. */
  private void stopNewChildren() {
    List<ProcessHandle> children =
        ProcessHandle.current()
            .descendants()
            .filter(p -> !childrenBefore.contains(p.pid()))
            .toList();
    children.forEach(ProcessHandle::destroy);
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        child.destroyForcibly();
      }
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      // best effort: one stuck resource must not keep the others alive
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
