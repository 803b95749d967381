package io.hotpatch.bench.hostile;

import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Records every deletion of a staged startup bundle ({@code NNNN-<sha256>.jar}) in the sidecars'
 * bundle directories, through inotify, so that a bundle deleted and staged again at once is not
 * missed.
 */
final class StagedBundleWatch implements AutoCloseable {
  private static final Pattern BUNDLE = Pattern.compile("\\d{4}-[0-9a-f]{64}\\.jar");

  private final WatchService watcher;
  private final List<String> deleted = new CopyOnWriteArrayList<>();
  private final Thread thread;

  private StagedBundleWatch(WatchService watcher) {
    this.watcher = watcher;
    this.thread = new Thread(this::loop, "staged-bundle-watch");
    thread.setDaemon(true);
  }

  /** Watches each directory, creating it first (the sidecar creates it only at its first sync). */
  static StagedBundleWatch watch(List<Path> bundleDirs) throws IOException {
    StagedBundleWatch watch = new StagedBundleWatch(FileSystems.getDefault().newWatchService());
    for (Path dir : bundleDirs) {
      Files.createDirectories(dir).register(watch.watcher, ENTRY_DELETE);
    }
    watch.thread.start();
    return watch;
  }

  /**
   * The staged bundles deleted so far, as {@code <dir>/<file>}; an overflow shows as a line of its
   * own.
   */
  List<String> deleted() {
    return List.copyOf(deleted);
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == OVERFLOW) {
            deleted.add("inotify overflow in " + key.watchable() + ": deletions may be missing");
          } else if (BUNDLE.matcher(event.context().toString()).matches()) {
            deleted.add(key.watchable() + "/" + event.context());
          }
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException stopped) {
      // closed
    }
  }

  @Override
  public void close() throws IOException {
    watcher.close();
  }
}
