package io.hotpatch.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging the agent jar and bundles into the target's filesystem and leaving no stray files. */
class FileStagerTest {
  @TempDir Path procRoot;
  @TempDir Path ours;

  @Test
  void passesOurPathWhenTheTargetSeesTheSameBytes() throws Exception {
    Path jar = Files.writeString(ours.resolve("agent.jar"), "agent");
    AttachTarget target = target();
    Path theirs = target.inTarget(jar.toString());
    Files.createDirectories(theirs.getParent());
    Files.writeString(theirs, "agent");

    try (FileStager stager = new FileStager(target, false)) {
      assertThat(stager.pathInTarget(jar)).isEqualTo(jar.toString());
    }
  }

  @Test
  void copiesIntoTheTargetsTmpAndDeletesTheCopyOnClose() throws Exception {
    Path jar = Files.writeString(ours.resolve("agent.jar"), "agent");
    AttachTarget target = target();
    Path theirs = target.inTarget(jar.toString());
    Files.createDirectories(theirs.getParent());
    Files.writeString(theirs, "an older agent");
    Path copy;

    try (FileStager stager = new FileStager(target, false)) {
      String path = stager.pathInTarget(jar);
      assertThat(path).matches("/tmp/hotpatch-[0-9a-f]{12}-agent\\.jar");
      copy = target.inTarget(path);
      assertThat(copy).hasContent("agent");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
          .isEqualTo("rw-r--r--");
    }

    assertThat(copy).doesNotExist();
    try (var left = Files.list(target.inTarget("/tmp"))) {
      assertThat(left).noneMatch(file -> file.getFileName().toString().contains("hotpatch"));
    }
  }

  private AttachTarget target() throws IOException {
    Path procDir = procRoot.resolve("7");
    Files.createDirectories(procDir.resolve("root/tmp"));
    int uid = (Integer) Files.getAttribute(ours, "unix:uid");
    int gid = (Integer) Files.getAttribute(ours, "unix:gid");
    return new AttachTarget(7, 7, uid, gid, true, true, List.of(), procDir);
  }
}
