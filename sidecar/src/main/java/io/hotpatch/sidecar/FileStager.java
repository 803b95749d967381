package io.hotpatch.sidecar;

import io.hotpatch.core.Sha256;
import io.hotpatch.sidecar.AttachFailure.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Gives the target JVM a path it can open for one of our files: our own path when the target sees
 * the same bytes there and may read them, otherwise a world-readable copy in the target's /tmp,
 * deleted on close.
 */
final class FileStager implements AutoCloseable {
  private static final String STAGING_DIR = "/tmp/";
  private static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private final AttachTarget target;
  private final boolean weAreRoot;
  private final List<Path> copies = new ArrayList<>();

  FileStager(AttachTarget target, boolean weAreRoot) {
    this.target = target;
    this.weAreRoot = weAreRoot;
  }

  /** The path under which the target JVM reads the bytes of {@code file}. */
  String pathInTarget(Path file) throws AttachFailure {
    Path ours = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(ours) || !Files.isReadable(ours)) {
      throw new AttachFailure(
          Reason.FILE_NOT_READABLE, "cannot read " + ours + ": check the path and its permissions");
    }
    try {
      if (visibleToTarget(ours)) {
        return ours.toString();
      }
      return stage(ours);
    } catch (IOException e) {
      throw new AttachFailure(
          Reason.FILE_NOT_READABLE,
          "cannot copy "
              + ours
              + " into the filesystem of target "
              + target.pid()
              + " ("
              + e.getMessage()
              + "): put it on a volume the target shares");
    }
  }

  @Override
  public void close() {
    for (Path copy : copies) {
      try {
        Files.deleteIfExists(copy);
      } catch (IOException e) {
        // best effort: the target may have ended, taking its filesystem view with it
      }
    }
    copies.clear();
  }

  private boolean visibleToTarget(Path ours) throws IOException {
    if (!target.otherMountNamespace()) {
      return readableByTarget(ours, ours.getRoot());
    }
    Path root = target.procDir().resolve("root");
    Path theirs = target.inTarget(ours.toString());
    return Files.isRegularFile(theirs)
        && Files.mismatch(ours, theirs) == -1
        && readableByTarget(theirs, root);
  }

  private String stage(Path ours) throws IOException {
    byte[] bytes = Files.readAllBytes(ours);
    String name = "hotpatch-" + Sha256.hex(bytes).substring(0, 12) + "-" + ours.getFileName();
    Path copy = target.inTarget(STAGING_DIR + name);
    Path partial = Files.createTempFile(copy.getParent(), ".hotpatch-", ".part");
    try {
      Files.write(partial, bytes);
      Files.setPosixFilePermissions(partial, WORLD_READABLE);
      if (weAreRoot) {
        Files.setAttribute(partial, "unix:gid", target.gid());
        Files.setAttribute(partial, "unix:uid", target.uid());
      }
      Files.move(
          partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    copies.add(copy);
    return STAGING_DIR + name;
  }

  /** Whether the target's uid may read {@code file}, judged by owner, group and mode bits. */
  private boolean readableByTarget(Path file, Path stopAt) throws IOException {
    if (target.uid() == 0) {
      return true;
    }
    if (!permits(
        file,
        PosixFilePermission.OWNER_READ,
        PosixFilePermission.GROUP_READ,
        PosixFilePermission.OTHERS_READ)) {
      return false;
    }
    for (Path dir = file.getParent();
        dir != null && dir.startsWith(stopAt);
        dir = dir.getParent()) {
      if (!permits(
          dir,
          PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE)) {
        return false;
      }
    }
    return true;
  }

  private boolean permits(
      Path path, PosixFilePermission owner, PosixFilePermission group, PosixFilePermission others)
      throws IOException {
    int uid = (Integer) Files.getAttribute(path, "unix:uid");
    int gid = (Integer) Files.getAttribute(path, "unix:gid");
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
    if (uid == target.uid()) {
      return permissions.contains(owner);
    }
    return permissions.contains(gid == target.gid() ? group : others);
  }
}
