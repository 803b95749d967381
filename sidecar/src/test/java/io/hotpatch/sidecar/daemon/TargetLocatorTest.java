package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.sidecar.JvmProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Picking the app JVM: by the container name in its environment, else the only JVM. */
class TargetLocatorTest {
  @TempDir Path proc;
  final List<JvmProcess> jvms = new ArrayList<>();

  @Test
  void picksTheJvmWhoseEnvironmentNamesTheContainer() throws IOException {
    jvm(10, "HOME=/", "HOTPATCH_CONTAINER_NAME=app-2");
    jvm(11, "HOTPATCH_CONTAINER_NAME=app", "PATH=/bin");
    jvm(12, "X_HOTPATCH_CONTAINER_NAME=app");

    assertThat(new TargetLocator(() -> jvms, proc, "app").locate().jvm().pid()).isEqualTo(11);
  }

  @Test
  void saysWhyWhenNoneOrSeveralQualify() throws IOException {
    jvm(10, "HOTPATCH_CONTAINER_NAME=web");

    assertThat(new TargetLocator(() -> jvms, proc, "app").locate().problem())
        .startsWith("no JVM with HOTPATCH_CONTAINER_NAME=app in its environment yet");
    assertThat(new TargetLocator(() -> jvms, proc, "").locate().jvm().pid()).isEqualTo(10);

    jvm(11, "HOTPATCH_CONTAINER_NAME=web");
    assertThat(new TargetLocator(() -> jvms, proc, "").locate().problem())
        .isEqualTo(
            "2 JVMs qualify as the target (pids 10, 11): set HOTPATCH_CONTAINER to the app container's name");
    assertThat(new TargetLocator(() -> jvms, proc, "web").locate().problem())
        .startsWith("2 JVMs qualify as the target (pids 10, 11): ");
    assertThat(new TargetLocator(List::of, proc, "").locate().problem())
        .startsWith("no JVM runs in the pod yet");
  }

  @Test
  void anEphemeralContainerTakesTheOnlyJvmOfItsUidInAnotherMountNamespace() {
    jvms.add(new JvmProcess(20, 1000, 1000, List.of("java"), "ours", "17", false));
    jvms.add(new JvmProcess(21, 2000, 2000, List.of("java"), "other user", "17", true));
    assertThat(TargetLocator.ephemeral(() -> jvms, 1000).locate().problem())
        .startsWith("no JVM of this container's UID runs in the target container yet");

    jvms.add(new JvmProcess(22, 1000, 1000, List.of("java"), "app", "17", true));
    assertThat(TargetLocator.ephemeral(() -> jvms, 1000).locate().jvm().pid()).isEqualTo(22);

    jvms.add(new JvmProcess(23, 1000, 1000, List.of("java"), "app 2", "17", true));
    assertThat(TargetLocator.ephemeral(() -> jvms, 1000).locate().problem())
        .isEqualTo(
            "2 JVMs qualify as the target (pids 22, 23): target a container that runs one JVM");
  }

  private void jvm(long pid, String... environment) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.write(
        dir.resolve("environ"),
        (String.join("\0", environment) + "\0").getBytes(StandardCharsets.UTF_8));
    jvms.add(
        new JvmProcess(
            pid, 1000, 1000, List.of("java", "-jar", "app.jar"), "app.jar", "17.0.15", false));
  }
}
