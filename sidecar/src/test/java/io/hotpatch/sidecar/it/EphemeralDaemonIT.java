package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.LOAD_THREADS;
import static io.hotpatch.testkit.AgentTargets.assertNoFailedRequests;
import static io.hotpatch.testkit.AgentTargets.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.sidecar.daemon.SidecarMain;
import io.hotpatch.testkit.AgentTargets;
import io.hotpatch.testkit.SampleHotFix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The daemon as the operator's ephemeral container runs it, against a JVM that was never injected:
 * the JVM in its own mount namespace (private /tmp and /dev/shm, the daemon's directory hidden),
 * the same pid namespace, no shared volume, both as the app's UID; the pod's token only inside the
 * JVM's filesystem. A desired patch reaches the JVM under load with no failed request, a restarted
 * JVM is patched again by the daemon that stayed, and once nothing is desired the next JVM is not
 * attached to.
 */
class EphemeralDaemonIT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = TestWorkDirs.outsideTmp("hotpatch-it-ephemeral");

  /**
   * The app's UID and GID: one no other test uses, so the daemon's "only JVM of my UID" is this
   * test's.
   */
  static final int APP_UID = 64123;

  static final List<String> AS_APP =
      List.of("setpriv", "--reuid=" + APP_UID, "--regid=" + APP_UID, "--clear-groups");

  /** Where the app container has the pod's token, as a path of its own filesystem. */
  static final String TOKEN_IN_APP = "/tmp/serviceaccount/token";

  static final String PATCH = "shop/fix-price-rounding";

  static SampleHotFix sample;
  static Path daemonDir;

  @BeforeAll
  static void buildSampleAndBundle() throws Exception {
    sample = SampleHotFix.build(17, WORK, "hot-fix");
    daemonDir = Files.createDirectories(WORK.resolve("daemon"));
    Files.setAttribute(daemonDir, "unix:uid", APP_UID);
    Files.setAttribute(daemonDir, "unix:gid", APP_UID);
  }

  @Test
  void patchesAnUninjectedJvmUnderLoadAndStaysForItsNextStart() throws Exception {
    assumeTrue(
        AttachIT.isRoot(), "needs root for unshare -m and to run as the app's UID (setpriv)");
    String sha = sha256(sample.bundle());
    try (TestingChannelServer channel = TestingChannelServer.start(WORK)) {
      SidecarPod pod = SidecarPod.create(WORK.resolve("pod"), channel);
      channel.serveBundle(sha, Files.readAllBytes(sample.bundle()));
      try (TargetJvm app = app().start();
          LoadGenerator load =
              LoadGenerator.start(app.uri(SampleVersion.PRICE_PATH), LOAD_THREADS);
          SidecarProcess daemon =
              SidecarProcess.start(
                  AS_APP,
                  SidecarProcess.readableClassPath(WORK.resolve("classpath")),
                  env(channel),
                  WORK.resolve("daemon.log"),
                  SidecarMain.JVM_FLAGS)) {
        Path theirRoot = Path.of("/proc", Long.toString(app.pid()), "root");
        assertThat(theirRoot.resolve(daemonDir.toString().substring(1)).resolve("hotpatch"))
            .as("no shared volume: the JVM cannot see the daemon's directory")
            .doesNotExist();
        pod.awaitTarget(app.pid(), daemon);
        load.awaitRequests(50);

        int before = channel.reports().size();
        channel.publish(new PatchOrder(PATCH, "uid-1", sha, PatchOrder.Action.APPLY, true));
        PodReport applied = awaitReport(pod, before, outcome(ResultState.APPLIED), daemon);
        AgentTargets.awaitAnswer(load, SampleVersion.V2_HOT_FIX.expectedQuote());

        assertThat(applied.getPid()).isEqualTo(app.pid());
        assertThat(applied.isAgentLoadedAtStartup()).as("never injected: no -javaagent").isFalse();
        assertThat(CLIENT.status(app.pid()).getPatches())
            .singleElement()
            .satisfies(patch -> assertThat(patch.getId()).isEqualTo(sha));
        assertThat(assertNoFailedRequests(load).distinctBodies())
            .containsExactly(
                SampleVersion.V1_BUGGY.expectedQuote(), SampleVersion.V2_HOT_FIX.expectedQuote());
        assertThat(names(theirRoot.resolve("tmp")))
            .as("nothing staged is left in the JVM's /tmp")
            .allMatch(
                name ->
                    name.equals("serviceaccount")
                        || name.startsWith(".java_pid")
                        || name.startsWith("hsperfdata"));
        assertThat(daemon.output()).contains("ephemeral container").doesNotContain("Exception");

        app.close();
        before = channel.reports().size();
        try (TargetJvm restarted = app().start()) {
          PodReport again =
              awaitReport(
                  pod,
                  before,
                  outcome(ResultState.APPLIED).and(report -> report.getPid() == restarted.pid()),
                  daemon);
          assertThat(again.getOutcomes())
              .singleElement()
              .satisfies(o -> assertThat(o.getMethod()).isEqualTo(PatchMethod.HOT));
          assertThat(AgentTargets.price(restarted))
              .isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());
        }

        // The HotPatch is gone; the next JVM has nothing to get, and is not attached to.
        channel.publish();
        try (TargetJvm unpatched = app().start()) {
          pod.awaitTarget(unpatched.pid(), daemon);
          Thread.sleep(2_000); // a converge runs right after the JVM is found: give it time
          assertThat(AgentTargets.price(unpatched))
              .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
          assertThat(names(Path.of("/proc", Long.toString(unpatched.pid()), "root").resolve("tmp")))
              .as("never attached: HotSpot opens its attach socket at the first attach")
              .noneMatch(name -> name.startsWith(".java_pid"));
        }
      }
    }
  }

  /**
   * The never-injected app container: its own mount namespace with a private /tmp (holding the
   * pod's token) and /dev/shm, the daemon's directory hidden; no startup agent; run as the app's
   * UID.
   */
  private static TargetJvm.Builder app() {
    String script =
        "mount -t tmpfs tmpfs /tmp && mount -t tmpfs tmpfs /dev/shm"
            + " && mount -t tmpfs tmpfs '"
            + daemonDir
            + "'"
            + " && mkdir -p /tmp/serviceaccount && echo "
            + TestingChannelServer.TOKEN
            + " > "
            + TOKEN_IN_APP
            + " && chmod 755 /tmp/serviceaccount && chmod 644 "
            + TOKEN_IN_APP
            + " && chmod 1777 /tmp && exec \"$0\" \"$@\"";
    return AgentTargets.target(17, sample.v1Jar())
        .launcher(
            command -> {
              List<String> wrapped = new ArrayList<>(List.of("unshare", "-m", "sh", "-c", script));
              wrapped.addAll(AS_APP);
              wrapped.addAll(command);
              return wrapped;
            });
  }

  /** The environment the operator gives its ephemeral container. */
  private static Map<String, String> env(TestingChannelServer channel) throws Exception {
    Map<String, String> env = new TreeMap<>();
    env.put("HOTPATCH_MODE", "ephemeral");
    env.put("HOTPATCH_CHANNEL_URL", channel.url().toString());
    env.put("HOTPATCH_POD_NAME", TestingChannelServer.POD);
    env.put("HOTPATCH_POD_NAMESPACE", TestingChannelServer.NAMESPACE);
    env.put("HOTPATCH_POD_UID", "0b6f7a6e-1c1f-4b8e-9d8a-2f3c4d5e6f70");
    env.put("HOTPATCH_TOKEN_FILE", TOKEN_IN_APP);
    env.put("HOTPATCH_CA_PEM", Files.readString(channel.caFile()));
    env.put("HOTPATCH_DIR", daemonDir.resolve("hotpatch").toString());
    env.put(
        "HOTPATCH_AGENT_SOURCE",
        // In the daemon's directory, which the JVM cannot see: the agent jar is staged too.
        TestWorkDirs.copyInto(AgentTargets.AGENT_JAR, daemonDir.resolve("image")).toString());
    return env;
  }

  /** The report, or a failure that shows what the daemon logged. */
  private static PodReport awaitReport(
      SidecarPod pod, int since, Predicate<PodReport> matching, SidecarProcess daemon) {
    try {
      return pod.awaitReport(since, matching, daemon);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; the daemon logged:\n" + daemon.output(), e);
    }
  }

  private static Predicate<PodReport> outcome(ResultState state) {
    return report -> report.getOutcomes().stream().anyMatch(o -> o.getState() == state);
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).toList();
    }
  }
}
