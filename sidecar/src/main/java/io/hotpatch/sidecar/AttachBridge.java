package io.hotpatch.sidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prepares the files the JDK attacher relies on and removes them afterwards. The trigger file goes
 * into the target's /tmp, owned by the target's uid, because HotSpot may not be able to see the one
 * the JDK puts into its working directory (a directory of another user, or of another mount
 * namespace). For a target in another mount namespace of our pid namespace, JDK 17's attacher looks
 * for the socket in our own /tmp, so we link the target's socket there. On close we also remove the
 * trigger the JDK leaves in such a target's working directory: the JDK deletes it by its canonical
 * path, which names another file here when that directory's path exists here too.
 */
final class AttachBridge implements AutoCloseable {
  private final AttachTarget target;
  private final List<Path> created = new ArrayList<>();

  private AttachBridge(AttachTarget target) {
    this.target = target;
  }

  static AttachBridge open(AttachTarget target, Path ourTmp, boolean weAreRoot) throws IOException {
    AttachBridge bridge = new AttachBridge(target);
    try {
      if (!target.hasSocket()) {
        bridge.trigger(weAreRoot);
      }
      if (target.otherMountNamespace() && target.sharesOurPidNamespace()) {
        Path link = ourTmp.resolve(".java_pid" + target.nsPid());
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS) && Files.isWritable(ourTmp)) {
          Files.createSymbolicLink(link, target.socket());
          bridge.created.add(link);
        }
        // A read-only /tmp (an ephemeral container has no volume for it): the attachers of the
        // sidecar image's JDK look under /proc/<pid>/root/tmp themselves and need no link.
      }
      return bridge;
    } catch (IOException | RuntimeException e) {
      bridge.close();
      throw e;
    }
  }

  @Override
  public void close() {
    for (Path path : created) {
      deleteQuietly(path);
    }
    created.clear();
    if (target.otherMountNamespace()) {
      deleteQuietly(target.procDir().resolve("cwd").resolve(target.triggerName()));
    }
  }

  private void trigger(boolean weAreRoot) throws IOException {
    Path trigger = target.inTarget("/tmp/" + target.triggerName());
    try {
      Files.createFile(trigger);
    } catch (IOException e) {
      // already there (not ours to remove), or a read-only /tmp: the JDK attacher's own trigger in
      // the working directory may still do
      return;
    }
    created.add(trigger);
    if (weAreRoot) {
      Files.setAttribute(trigger, "unix:gid", target.gid());
      Files.setAttribute(trigger, "unix:uid", target.uid());
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // best effort: the target may have ended, taking its filesystem view with it
    }
  }
}
