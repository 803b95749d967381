package io.hotpatch.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.testkit.AgentTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signals real JVMs (Java 11, 17 and Temurin 25) to start their attach listener, and checks that a
 * JVM that would not take the signal as the trigger is not signalled.
 */
class AttachListenerStartIT {
  private static final Duration GENEROUS = Duration.ofSeconds(20);

  @TempDir static Path work;
  private static Path sampleJar;

  @BeforeAll
  static void buildSample() throws Exception {
    assertThat(AttachListenerStart.available())
        .as("this JVM runs with %s", AttachListenerStart.JVM_FLAG)
        .isTrue();
    sampleJar =
        SampleBuilds.sampleJar(
            SampleVersion.V1_BUGGY,
            Files.createDirectories(work.resolve("sample")),
            SampleBuilds.TARGET_RELEASE);
  }

  @ParameterizedTest(name = "target on {0}")
  @ValueSource(ints = {11, 17, 25})
  void aTriggeredTargetOpensItsSocketWithoutAThreadDump(int feature) throws Exception {
    try (TargetJvm jvm = start(feature)) {
      AttachTarget target = targetOf(jvm);
      assertThat(target.hasSocket()).isFalse();

      try (AttachBridge bridge = AttachBridge.open(target, work, isRoot())) {
        assertThat(AttachListenerStart.awaitSocket(target, GENEROUS)).isTrue();
      }

      assertThat(target.hasSocket()).isTrue();
      assertThat(new AgentClient(AgentTargets.AGENT_JAR).status(jvm.pid()).getJvmVersion())
          .startsWith(Integer.toString(feature));
      assertThat(jvm.output()).doesNotContain("Full thread dump");
    }
  }

  @Test
  void aTargetWithoutATriggerFileIsNotSignalled() throws Exception {
    try (TargetJvm jvm = start(17)) {
      AttachTarget target = targetOf(jvm);

      assertThat(AttachListenerStart.awaitSocket(target, GENEROUS)).isFalse();

      assertThat(target.hasSocket()).isFalse();
      // a signal without a trigger would have printed a thread dump by the time an attach is done
      new AgentClient(AgentTargets.AGENT_JAR).status(jvm.pid());
      assertThat(jvm.output()).doesNotContain("Full thread dump");
    }
  }

  @Test
  void aTriggerFileOfAnotherUserIsNotTrusted() throws Exception {
    assumeTrue(isRoot(), "needs root to own a trigger file as another user");
    try (TargetJvm jvm = start(17)) {
      AttachTarget target = targetOf(jvm);
      Path trigger = target.inTarget("/tmp/" + target.triggerName());
      Files.createFile(trigger);
      try {
        Files.setAttribute(trigger, "unix:uid", 65534);

        assertThat(AttachListenerStart.awaitSocket(target, GENEROUS)).isFalse();
      } finally {
        Files.delete(trigger);
      }

      new AgentClient(AgentTargets.AGENT_JAR).status(jvm.pid());
      assertThat(jvm.output()).doesNotContain("Full thread dump");
    }
  }

  private static TargetJvm start(int feature) {
    return AgentTargets.target(feature, sampleJar).workDir(work).start();
  }

  private static AttachTarget targetOf(TargetJvm jvm) throws AttachFailure {
    return AttachTarget.of(ProcFs.system(), new JvmFinder().find(jvm.pid()));
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
