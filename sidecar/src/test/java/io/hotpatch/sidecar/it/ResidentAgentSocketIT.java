package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.AGENT_JAR;
import static io.hotpatch.testkit.AgentTargets.LOAD_THREADS;
import static io.hotpatch.testkit.AgentTargets.assertNoFailedRequests;
import static io.hotpatch.testkit.AgentTargets.assertQuietOutput;
import static io.hotpatch.testkit.AgentTargets.awaitAnswer;
import static io.hotpatch.testkit.AgentTargets.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpatch.core.AgentSocketProtocol;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.WireFormat;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.testkit.AgentTargets;
import io.hotpatch.testkit.SampleHotFix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The resident agent's socket with real target JVMs and the real agent loaded at start ({@code
 * -javaagent:...=socket=DIR}, as the webhook injects it): patches go in through the socket with
 * attach switched off in the target, under load; the directory and socket are owner-only; an
 * oversize or unfinished request is refused and the door stays open; a peer of another user is
 * refused; without a socket (Java 11, or no {@code socket=}) the client attaches as before.
 */
class ResidentAgentSocketIT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = TestWorkDirs.outsideTmp("hotpatch-it-resident");
  static final String V2 = SampleVersion.V2_HOT_FIX.expectedQuote();

  static SampleHotFix sample;

  @BeforeAll
  static void buildBundles() {
    sample = SampleHotFix.build(SampleBuilds.TARGET_RELEASE, WORK, "fix");
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {17, 25})
  void appliesThroughTheSocketWithAttachSwitchedOff(int jdk) throws Exception {
    Path run = WORK.resolve("run-" + jdk);
    try (TargetJvm target = resident(jdk, run).jvmArgs("-XX:+DisableAttachMechanism").start();
        LoadGenerator load =
            LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS)) {
      Path socket = run.resolve(AgentSocketProtocol.socketName(target.pid()));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run)))
          .isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
          .isEqualTo("rw-------");
      load.awaitRequests(50);

      PatchResult applied = CLIENT.apply(target.pid(), sample.bundle(), sha256(sample.bundle()));
      assertThat(applied.getState()).as(applied.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(applied.getPhases())
          .containsKeys("readBundle", "readOriginal", "digest", "classify", "redefine", "socket")
          .doesNotContainKey("attach");
      awaitAnswer(load, V2);
      assertThat(CLIENT.status(target.pid()).isLoadedAtStartup()).isTrue();
      PatchResult reverted = CLIENT.revert(target.pid(), sha256(sample.bundle()));
      assertThat(reverted.getState()).as(reverted.toString()).isEqualTo(ResultState.REVERTED);
      awaitAnswer(load, SampleVersion.V1_BUGGY.expectedQuote());

      assertNoFailedRequests(load);
      assertQuietOutput(target);
    }
  }

  @Test
  void refusesAnOversizeRequestAndAnUnfinishedOneAndStaysOpen() throws Exception {
    Path run = WORK.resolve("run-bounds");
    try (TargetJvm target = resident(17, run).start()) {
      Path socket = run.resolve(AgentSocketProtocol.socketName(target.pid()));
      byte[] oversize = new byte[AgentSocketProtocol.MAX_REQUEST_BYTES + 1024];
      Arrays.fill(oversize, (byte) 'a');

      Properties refused = WireFormat.decode(exchange(socket, oversize));
      assertThat(refused.getProperty("state")).isEqualTo("FAILED");
      assertThat(refused.getProperty("message"))
          .startsWith(
              "request larger than 65536 bytes or not finished within"
                  + " 5000 ms, the most the agent socket accepts");

      try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        // Served one at a time: this apply waits until the silent peer's time is up, then goes
        // through.
        PatchResult applied = CLIENT.apply(target.pid(), sample.bundle(), sha256(sample.bundle()));
        assertThat(applied.getState()).as(applied.toString()).isEqualTo(ResultState.APPLIED);
        assertThat(applied.getPhases()).containsKey("socket");
        assertThat(WireFormat.decode(readAll(silent)).getProperty("message"))
            .startsWith("request larger than");
      }
      assertThat(target.get(SampleVersion.PRICE_PATH)).isEqualTo(V2);
      assertQuietOutput(target);
    }
  }

  @Test
  void refusesAPeerOfAnotherUser() throws Exception {
    assumeTrue(AttachIT.isRoot(), "needs root to connect as uid 65534 (setpriv)");
    Path run = WORK.resolve("run-other-user");
    try (TargetJvm target = resident(17, run).start()) {
      Path socket = run.resolve(AgentSocketProtocol.socketName(target.pid()));
      // Past the owner-only directory and socket (as if their modes had been loosened), the peer
      // check remains.
      Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
      List<String> command = new ArrayList<>(AttachIT.AS_NOBODY);
      command.addAll(
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              probeClasspath(),
              SocketProbe.class.getName(),
              socket.toString()));
      Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();

      Properties reply = WireFormat.decode(output);
      assertThat(reply.getProperty("state")).as(output).isEqualTo("FAILED");
      assertThat(reply.getProperty("message"))
          .matches(
              "peer user (nobody|65534) is not the JVM's user \\(root\\) and"
                  + " not root, so nothing was done: run the sidecar or CLI as user root");
      assertThat(CLIENT.status(target.pid()).getPatches()).isEmpty();
    }
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {11, 17})
  void attachesWhenThereIsNoSocket(int jdk) throws Exception {
    Path run = WORK.resolve("run-none-" + jdk);
    // Java 11 has no Unix domain sockets: the resident agent opens none. On 17 the option names
    // none.
    TargetJvm.Builder builder =
        jdk == 11
            ? resident(jdk, run)
            : AgentTargets.target(jdk, sample.v1Jar()).jvmArgs("-javaagent:" + AGENT_JAR);
    try (TargetJvm target = builder.start()) {
      assertThat(run.resolve(AgentSocketProtocol.socketName(target.pid()))).doesNotExist();

      PatchResult applied = CLIENT.apply(target.pid(), sample.bundle(), sha256(sample.bundle()));
      assertThat(applied.getState()).as(applied.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(applied.getPhases())
          .containsKeys("startListener", "connect", "loadAgent", "readReply", "attach")
          .doesNotContainKey("socket");
      assertThat(applied.getPhases().get("loadAgent"))
          .as("the agent's own phases happen while the attacher waits for loadAgent")
          .isGreaterThanOrEqualTo(applied.getPhases().get("redefine"));
      assertThat(target.get(SampleVersion.PRICE_PATH)).isEqualTo(V2);
      assertQuietOutput(target);
    }
  }

  private static TargetJvm.Builder resident(int jdk, Path run) {
    return AgentTargets.target(jdk, sample.v1Jar())
        .jvmArgs("-javaagent:" + AGENT_JAR + "=socket=" + run);
  }

  /** Sends {@code request} as it is and returns everything the agent answers. */
  private static String exchange(Path socket, byte[] request) throws IOException {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      channel.write(ByteBuffer.wrap(request));
      return readAll(channel);
    }
  }

  private static String readAll(SocketChannel channel) throws IOException {
    ByteArrayOutputStream reply = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    while (channel.read(buffer) >= 0) {
      reply.write(buffer.array(), 0, buffer.position());
      buffer.clear();
    }
    return reply.toString(StandardCharsets.UTF_8);
  }

  /** A class path holding only {@link SocketProbe}, readable by any user. */
  private static String probeClasspath() throws IOException {
    String resource = SocketProbe.class.getName().replace('.', '/') + ".class";
    Path classes = WORK.resolve("probe");
    Path copy = classes.resolve(resource);
    Files.createDirectories(copy.getParent());
    try (var in = SocketProbe.class.getClassLoader().getResourceAsStream(resource)) {
      Files.write(copy, in.readAllBytes());
    }
    for (Path dir = copy.getParent(); dir.startsWith(WORK); dir = dir.getParent()) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return classes.toString();
  }

  /**
   * Asks the agent socket named by {@code args[0]} for its status and prints the raw reply
   * (self-contained: runs alone).
   */
  public static final class SocketProbe {
    private SocketProbe() {}

    public static void main(String[] args) throws IOException {
      try (SocketChannel channel =
          SocketChannel.open(UnixDomainSocketAddress.of(Path.of(args[0])))) {
        channel.write(
            ByteBuffer.wrap(
                "op=status&reply=hotpatch.reply.1.1\n".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
          System.out.write(buffer.array(), 0, buffer.position());
          buffer.clear();
        }
        System.out.flush();
      }
    }
  }
}
