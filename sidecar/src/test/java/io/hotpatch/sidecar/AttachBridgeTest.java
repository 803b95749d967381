package io.hotpatch.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attach-socket bridge for a target in another mount namespace. */
class AttachBridgeTest {
  @TempDir Path procRoot;
  @TempDir Path ourTmp;

  @Test
  void linksTheSocketAndTriggersThenRemovesWhatItCreated() throws IOException {
    AttachTarget target = target(true);
    Path link = ourTmp.resolve(".java_pid7");
    Path trigger = target.inTarget("/tmp/.attach_pid7");
    Path jdkTrigger =
        Files.createFile(
            Files.createDirectories(target.procDir().resolve("cwd")).resolve(".attach_pid7"));

    AttachBridge bridge = AttachBridge.open(target, ourTmp, false);
    assertThat(Files.readSymbolicLink(link)).isEqualTo(target.socket());
    assertThat(trigger).exists();
    bridge.close();

    assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(trigger).doesNotExist();
    assertThat(jdkTrigger).doesNotExist();
  }

  @Test
  void leavesFilesItDidNotCreate() throws IOException {
    AttachTarget target = target(true);
    Path foreign = Files.createFile(ourTmp.resolve(".java_pid7"));
    Files.createFile(target.socket());

    AttachBridge.open(target, ourTmp, false).close();

    assertThat(foreign).exists();
    assertThat(target.socket()).exists();
  }

  @Test
  void onlyTriggersInOurOwnMountNamespace() throws IOException {
    AttachTarget target = target(false);

    AttachBridge bridge = AttachBridge.open(target, ourTmp, false);
    assertThat(target.inTarget("/tmp/.attach_pid7")).exists();
    bridge.close();

    try (var files = Files.list(ourTmp)) {
      assertThat(files).isEmpty();
    }
    assertThat(target.inTarget("/tmp/.attach_pid7")).doesNotExist();
  }

  private AttachTarget target(boolean otherMountNamespace) throws IOException {
    Path procDir = procRoot.resolve("7");
    Files.createDirectories(procDir.resolve("root/tmp"));
    return new AttachTarget(7, 7, 0, 0, true, otherMountNamespace, List.of(), procDir);
  }
}
