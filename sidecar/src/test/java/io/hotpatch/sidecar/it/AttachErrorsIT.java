package io.hotpatch.sidecar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.sidecar.AttachFailure;
import io.hotpatch.sidecar.AttachFailure.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attach failures a user meets, each reported as one line naming cause and fix, with the target
 * left running and its output free of thread dumps.
 */
class AttachErrorsIT {
  private static AgentClient client;

  @BeforeAll
  static void setUp() throws Exception {
    AttachIT.buildSample();
    client = new AgentClient(AttachIT.AGENT_JAR);
  }

  @ParameterizedTest(name = "flag in the {0}")
  @ValueSource(strings = {"command line", "argument file", "VM options file", "environment"})
  void attachDisabled(String where) throws Exception {
    String flag = "-XX:+DisableAttachMechanism";
    Path file = Files.writeString(AttachIT.WORK.resolve("disable-attach.options"), flag + "\n");
    TargetJvm.Builder builder = AttachIT.targetBuilder(17).jvmArgs("-XX:-UsePerfData");
    switch (where) {
      case "command line" -> builder.jvmArgs(flag);
      case "argument file" -> builder.jvmArgs("@" + file);
      case "VM options file" -> builder.jvmArgs("-XX:VMOptionsFile=" + file);
      default -> builder.launcher(command -> prepend("env", "JAVA_TOOL_OPTIONS=" + flag, command));
    }
    try (TargetJvm target = builder.start()) {
      assertOneLineFailure(
          target.pid(),
          Reason.ATTACH_DISABLED,
          "target "
              + target.pid()
              + " runs with -XX:+DisableAttachMechanism, so nothing can attach to it:"
              + " restart it without that flag, or load the agent at start with -javaagent");
      assertUndisturbed(target);
    }
  }

  @Test
  void attachDisabledWhereOnlyTheJvmKnows() throws Exception {
    Path flags =
        Files.writeString(
            AttachIT.WORK.resolve("disable-attach.flags"), "+DisableAttachMechanism\n");
    // Such a target never answers the attach signal: the JDK waits out its attach timeout (10 s by
    // default) before it gives up, which this test need not spend in full.
    String timeout = System.setProperty("sun.tools.attach.attachTimeout", "2000");
    try (TargetJvm target =
        AttachIT.targetBuilder(17).jvmArgs("-XX:-UsePerfData", "-XX:Flags=" + flags).start()) {
      assertThatThrownBy(() -> client.status(target.pid()))
          .isInstanceOfSatisfying(
              AttachFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.ATTACH_DISABLED))
          .hasMessageStartingWith("target " + target.pid() + " did not open its attach socket")
          .hasMessageContaining("restart it without -XX:+DisableAttachMechanism")
          .hasMessageNotContaining("\n");
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
    } finally {
      if (timeout == null) {
        System.clearProperty("sun.tools.attach.attachTimeout");
      } else {
        System.setProperty("sun.tools.attach.attachTimeout", timeout);
      }
    }
  }

  @Test
  void dynamicAgentLoadingDisabledOn25() {
    try (TargetJvm target =
        AttachIT.targetBuilder(25).jvmArgs("-XX:-EnableDynamicAgentLoading").start()) {
      assertRefusesDynamicAgents(target);
    }
  }

  @Test
  void dynamicAgentLoadingDisabledWhereOnlyTheJvmKnows() throws Exception {
    Path options =
        Files.writeString(
            AttachIT.WORK.resolve("no-dynamic-agents.flags"), "-EnableDynamicAgentLoading\n");
    try (TargetJvm target = AttachIT.targetBuilder(25).jvmArgs("-XX:Flags=" + options).start()) {
      assertRefusesDynamicAgents(target);
    }
  }

  private static void assertRefusesDynamicAgents(TargetJvm target) {
    assertOneLineFailure(
        target.pid(),
        Reason.DYNAMIC_AGENT_LOADING_DISABLED,
        "target "
            + target.pid()
            + " runs with -XX:-EnableDynamicAgentLoading, so it refuses agents after start:"
            + " restart it with -XX:+EnableDynamicAgentLoading, or load the agent at start with"
            + " -javaagent");
    assertUndisturbed(target);
  }

  @Test
  void otherUid() throws Exception {
    assumeTrue(AttachIT.isRoot(), "needs root to run the attacher as uid 65534 (setpriv)");
    try (TargetJvm target = AttachIT.targetBuilder(17).start()) {
      String output =
          AttachIT.runProbe(
              Path.of(System.getProperty("java.home")), AttachIT.AS_NOBODY, target.pid());

      assertThat(output)
          .isEqualTo(
              "FAIL UID_MISMATCH target "
                  + target.pid()
                  + " runs as uid 0, this process as uid 65534:"
                  + " run as uid 0 (e.g. sudo -u) or as root");
      assertUndisturbed(target);
    }
  }

  @Test
  void aJarThatIsNotTheAgent() throws Exception {
    try (TargetJvm target = AttachIT.targetBuilder(17).start()) {
      Path notAnAgent = AttachIT.sampleJar;

      assertThatThrownBy(() -> new AgentClient(notAnAgent).status(target.pid()))
          .isInstanceOfSatisfying(
              AttachFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.AGENT_LOAD_FAILED))
          .hasMessage(
              "target "
                  + target.pid()
                  + " could not load the agent "
                  + notAnAgent
                  + " (Agent JAR not found or no Agent-Class attribute): check that it is the"
                  + " hotpatch agent jar and readable by uid "
                  + AttachIT.ourUid());
      assertThatThrownBy(
              () -> new AgentClient(AttachIT.WORK.resolve("missing.jar")).status(target.pid()))
          .isInstanceOfSatisfying(
              AttachFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.FILE_NOT_READABLE))
          .hasMessage(
              "cannot read "
                  + AttachIT.WORK.resolve("missing.jar")
                  + ": check the path and its permissions");
      assertUndisturbed(target);
    }
  }

  @Test
  void noSuchProcessAndNotAJvm() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      assertOneLineFailure(
          sleeper.pid(),
          Reason.NOT_A_JVM,
          "process "
              + sleeper.pid()
              + " is not a JVM (sleep 60): pick a pid that `hotpatch jvms` lists");
    } finally {
      sleeper.destroy();
      sleeper.waitFor();
    }
    assertOneLineFailure(
        sleeper.pid(),
        Reason.NO_SUCH_PROCESS,
        "no process with pid " + sleeper.pid() + ": check the pid with `hotpatch jvms`");
  }

  private static List<String> prepend(String first, String second, List<String> command) {
    List<String> all = new ArrayList<>(List.of(first, second));
    all.addAll(command);
    return all;
  }

  private static void assertOneLineFailure(long pid, Reason reason, String message) {
    assertThatThrownBy(() -> client.status(pid))
        .isInstanceOfSatisfying(AttachFailure.class, f -> assertThat(f.reason()).isEqualTo(reason))
        .hasMessage(message);
  }

  private static void assertUndisturbed(TargetJvm target) {
    assertThat(target.get(SampleVersion.PRICE_PATH))
        .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
    assertThat(target.output()).doesNotContain("Full thread dump", "Exception");
  }
}
