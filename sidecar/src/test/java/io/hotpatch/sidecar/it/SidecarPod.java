package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.AGENT_JAR;

import io.hotpatch.core.channel.PodReport;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.testkit.AgentTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One simulated pod on this machine: the shared hotpatch directory (agent jar, startup bundles),
 * the projected token and CA files, the sidecar started with exactly the webhook's environment, and
 * app JVMs that carry the container's name in their environment and the startup agent.
 */
final class SidecarPod {
  /** The variable the webhook sets in the target container; the sidecar reads it from /proc. */
  static final String CONTAINER_NAME_VARIABLE = "HOTPATCH_CONTAINER_NAME";

  final Path dir;
  final Path hotpatchDir;
  final Path tokenFile;
  final String container = "app-" + UUID.randomUUID().toString().substring(0, 8);
  private final TestingChannelServer channel;
  private int sidecars;

  private SidecarPod(Path dir, TestingChannelServer channel) {
    this.dir = dir;
    this.hotpatchDir = dir.resolve("hotpatch");
    this.tokenFile = dir.resolve("token");
    this.channel = channel;
  }

  static SidecarPod create(Path dir, TestingChannelServer channel) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> old = Files.walk(dir)) {
        old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
    SidecarPod pod = new SidecarPod(Files.createDirectories(dir), channel);
    Files.createDirectories(pod.hotpatchDir.resolve("agent"));
    Files.copy(AGENT_JAR, pod.agentJar());
    pod.writeToken(TestingChannelServer.TOKEN);
    return pod;
  }

  Path agentJar() {
    return hotpatchDir.resolve("agent/hotpatch-agent.jar");
  }

  Path bundles() {
    return hotpatchDir.resolve("bundles");
  }

  void writeToken(String token) throws IOException {
    Files.writeString(tokenFile, token + "\n");
  }

  /** The environment the injection webhook gives the sidecar container. */
  Map<String, String> sidecarEnv() {
    Map<String, String> env = new TreeMap<>();
    env.put("HOTPATCH_CHANNEL_URL", channel.url().toString());
    env.put("HOTPATCH_POD_NAME", TestingChannelServer.POD);
    env.put("HOTPATCH_POD_NAMESPACE", TestingChannelServer.NAMESPACE);
    env.put("HOTPATCH_POD_UID", "0b6f7a6e-1c1f-4b8e-9d8a-2f3c4d5e6f70");
    env.put("HOTPATCH_TOKEN_FILE", tokenFile.toString());
    env.put("HOTPATCH_CA_FILE", channel.caFile().toString());
    env.put("HOTPATCH_CONTAINER", container);
    env.put("HOTPATCH_DIR", hotpatchDir.toString());
    env.put("HOTPATCH_POLL_WAIT_SECONDS", "30");
    return env;
  }

  /**
   * The webhook's init step: installs the agent, then stages the startup bundles, waiting at most
   * {@code waitSeconds} for the operator to publish the HotPatches of {@code restartedFor}.
   */
  SidecarProcess startInit(int waitSeconds, String... restartedFor) {
    Map<String, String> env = sidecarEnv();
    env.put("HOTPATCH_AGENT_SOURCE", AGENT_JAR.toString());
    env.put("HOTPATCH_STARTUP_WAIT_SECONDS", Integer.toString(waitSeconds));
    env.put("HOTPATCH_STARTUP_PATCHES", String.join(",", restartedFor));
    return SidecarProcess.init(env, dir.resolve("init.log"));
  }

  SidecarProcess startSidecar() {
    return SidecarProcess.start(sidecarEnv(), dir.resolve("sidecar-" + ++sidecars + ".log"));
  }

  /** Waits until the sidecar staged the startup bundles, as a startup probe would. */
  void awaitSidecarReady(SidecarProcess sidecar) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .failFast("the sidecar exited", () -> !sidecar.isAlive())
        .until(() -> Files.exists(hotpatchDir.resolve("sidecar-ready")));
  }

  /**
   * The app container's JVM: its name in the environment, the startup agent on its command line
   * with the webhook's arguments (startup bundles, and the socket the sidecar reaches it through
   * from Java 16).
   */
  TargetJvm.Builder app(int jdk, Path... classpath) {
    return AgentTargets.target(jdk, classpath)
        .jvmArgs(
            "-javaagent:"
                + agentJar()
                + "=bundles="
                + bundles()
                + "&socket="
                + hotpatchDir.resolve("run"))
        .launcher(
            command -> {
              List<String> withEnv =
                  new ArrayList<>(List.of("env", CONTAINER_NAME_VARIABLE + "=" + container));
              withEnv.addAll(command);
              return withEnv;
            });
  }

  /**
   * Waits up to 60 s for the sidecar to find the app JVM {@code pid}, as its log says: a pod with
   * no patch sends no report.
   */
  void awaitTarget(long pid, SidecarProcess sidecar) {
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .failFast("the sidecar exited", () -> !sidecar.isAlive())
          .until(() -> sidecar.output().contains("target JVM pid " + pid + " ("));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "the sidecar did not find JVM " + pid + "; it logged:\n" + sidecar.output(), e);
    }
  }

  /** The first report received after {@code since} reports that matches, waiting up to 60 s. */
  PodReport awaitReport(int since, Predicate<PodReport> matching, SidecarProcess sidecar) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .failFast("the sidecar exited", () -> !sidecar.isAlive())
        .until(
            () -> channel.reports().stream().skip(since).filter(matching).findFirst(),
            Optional::isPresent)
        .get();
  }
}
