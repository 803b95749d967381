package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the injected hotpatch-init container does: put a readable agent jar into the shared volume.
 */
class AgentInstallerTest {
  @TempDir Path dir;

  @Test
  void copiesTheAgentWorldReadableIntoTheSharedDirectory() throws Exception {
    Path source = Files.write(dir.resolve("image-agent.jar"), new byte[] {1, 2, 3});
    Path shared = Files.createDirectories(dir.resolve("hotpatch"));

    Path installed =
        AgentInstaller.install(
            Map.of("HOTPATCH_AGENT_SOURCE", source.toString(), "HOTPATCH_DIR", shared.toString()));

    assertThat(installed).isEqualTo(shared.resolve("agent/hotpatch-agent.jar"));
    assertThat(Files.readAllBytes(installed)).containsExactly(1, 2, 3);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installed)))
        .isEqualTo("rw-r--r--");
    assertThat(Files.list(installed.getParent())).containsExactly(installed);
  }

  @Test
  void namesTheMissingPieceInOneLine() {
    assertThatThrownBy(
            () ->
                AgentInstaller.install(
                    Map.of(
                        "HOTPATCH_AGENT_SOURCE",
                        dir.resolve("none.jar").toString(),
                        "HOTPATCH_DIR",
                        dir.toString())))
        .hasMessageStartingWith(
            "HOTPATCH_AGENT_SOURCE=" + dir.resolve("none.jar") + " is not a file: ");
  }
}
