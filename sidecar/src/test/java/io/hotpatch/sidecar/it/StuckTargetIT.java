package io.hotpatch.sidecar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.sidecar.AttachFailure;
import io.hotpatch.sidecar.AttachFailure.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A target JVM that stops answering (here: stopped with SIGSTOP after its agent is in) costs the
 * client its deadline, not its life: by socket and by attach the call gives up with what to check,
 * and a second attach is refused at once while the first still waits.
 */
class StuckTargetIT {
  private static final Duration DEADLINE = Duration.ofSeconds(1);

  @BeforeAll
  static void setUp() throws Exception {
    AttachIT.buildSample();
  }

  @Test
  void residentSocketCallGivesUpOnAStoppedJvm() throws Exception {
    Path run = Files.createDirectories(AttachIT.WORK.resolve("stuck-socket"));
    try (TargetJvm target =
        AttachIT.targetBuilder(17)
            .jvmArgs("-javaagent:" + AttachIT.AGENT_JAR + "=socket=" + run)
            .start()) {
      AgentClient client = new AgentClient(AttachIT.AGENT_JAR, DEADLINE);
      assertThat(client.status(target.pid()).isLoadedAtStartup()).isTrue();

      stop(target.pid());
      try {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.status(target.pid()))
            .isInstanceOfSatisfying(
                AttachFailure.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.AGENT_REPLY_MISSING))
            .hasMessageContaining("did not answer within 1 s")
            .hasMessageContaining("hotpatch status");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      } finally {
        signal("CONT", target.pid());
      }
      assertThat(client.status(target.pid()).isLoadedAtStartup()).isTrue();
    }
  }

  @Test
  void attachGivesUpOnAStoppedJvmAndMakesNoSecondWhileTheFirstWaits() throws Exception {
    try (TargetJvm target = AttachIT.targetBuilder(17).start()) {
      AgentClient client = new AgentClient(AttachIT.AGENT_JAR, DEADLINE);
      client.status(target.pid()); // the attach listener is up and the agent is in

      stop(target.pid());
      try {
        assertThatThrownBy(() -> client.status(target.pid()))
            .isInstanceOfSatisfying(
                AttachFailure.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.AGENT_REPLY_MISSING))
            .hasMessageContaining("did not answer the attach within 1 s");
        assertThatThrownBy(() -> client.status(target.pid()))
            .hasMessageContaining("an earlier attach to target " + target.pid())
            .hasMessageContaining("still waiting");
      } finally {
        signal("CONT", target.pid());
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> client.status(target.pid()) != null);
    }
  }

  /**
   * SIGSTOP takes effect as each thread of the JVM reaches it: until all have, one that is running
   * may still answer.
   */
  private static void stop(long pid) throws Exception {
    signal("STOP", pid);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> allThreadsStopped(pid));
  }

  /** Whether every thread of the process is stopped ('T' in /proc/PID/task/TID/stat). */
  private static boolean allThreadsStopped(long pid) throws IOException {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat = Files.readString(task.resolve("stat"));
        if (stat.charAt(stat.lastIndexOf(") ") + 2) != 'T') {
          return false;
        }
      }
    }
    return true;
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor()).isZero();
  }
}
