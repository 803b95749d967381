package io.hotpatch.sidecar.daemon;

import io.hotpatch.sidecar.AttachListenerStart;
import io.hotpatch.sidecar.JvmFinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Entry point of the sidecar daemon: reads its settings from the environment (sidecar/README.md),
 * then keeps the pod's JVM converged to the operator's desired patches until it is stopped. Exits
 * with 2 and one line naming the variable when a setting is wrong.
 */
public final class SidecarMain {
  /**
   * The JVM flags the sidecar ships with, chosen for a small idle footprint (sidecar/README.md).
   */
  public static final List<String> JVM_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          // The interpreter only: 4 MB less resident than C1 alone, and no more CPU at start.
          "-Xint",
          "-Xms4m",
          "-Xmx48m",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=30",
          "-Xss256k",
          "-XX:MaxMetaspaceSize=48m",
          "-XX:-UsePerfData",
          "-XX:+ExitOnOutOfMemoryError",
          // Map the class-data archive where it was dumped: relocated (the default since 21 and
          // in 17.0.15), each sidecar rewrites its pointers into ~9 MB of private copies; in
          // place, its read-only part stays page cache shared by the node's sidecars.
          "-XX:+UnlockDiagnosticVMOptions",
          "-XX:ArchiveRelocationMode=0",
          // Hand freed malloc memory back to the OS while idle, ~1 MB (21.0.1+, and 17.0.15).
          "-XX:TrimNativeHeapInterval=10000",
          // Start a target's attach listener without the JDK attacher's 100 ms sleeps. The archive
          // is dumped with it too, so the JVM keeps mapping its archived module graph.
          AttachListenerStart.JVM_FLAG,
          // Offer the operator an X25519 key share only. A P-256 one (the JDK's default, with
          // X25519) has the JDK build its P-256 table first: 1.8 s of CPU in the interpreter.
          "-Djdk.tls.namedGroups=x25519");

  private SidecarMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 1 && args[0].equals("--install-agent")) {
      installAgent();
      return;
    }
    if (args.length > 0) {
      System.err.println(
          "hotpatch-sidecar: unknown arguments "
              + List.of(args)
              + ": run it with no"
              + " arguments (settings come from the environment, see sidecar/README.md) or with --install-agent");
      System.exit(2);
      return;
    }
    SidecarConfig config;
    HttpsChannel channel;
    LoopbackGet healthGet;
    TargetLocator locator;
    Path agentJar;
    boolean ephemeral;
    try {
      ephemeral = SidecarConfig.ephemeral(System.getenv());
      if (ephemeral) {
        config = SidecarConfig.ephemeralFromEnv(System.getenv());
        locator = TargetLocator.ephemeral(new JvmFinder()::findAll, ourUid());
        // No shared volume: the attacher stages the image's agent jar into the target's /tmp.
        agentJar = AgentInstaller.source(System.getenv());
        channel =
            new HttpsChannel(
                config.podChannel(),
                new PodToken(locator, config.tokenFile()),
                PodToken.FIX,
                config.caFile());
      } else {
        config = SidecarConfig.fromEnv(System.getenv());
        locator = new TargetLocator(config.container());
        agentJar = config.agentJar();
        channel = new HttpsChannel(config.podChannel(), config.tokenFile(), config.caFile());
      }
      healthGet = LoopbackGet.fromEnv(System.getenv());
    } catch (SidecarConfig.Invalid | IOException e) {
      System.err.println("hotpatch-sidecar: " + e.getMessage());
      System.exit(2);
      return;
    }
    Log log = new Log(System.out, config.debug());
    log.info(
        "hotpatch "
            + (ephemeral ? "ephemeral container" : "sidecar")
            + " for pod "
            + config.podNamespace()
            + "/"
            + config.podName()
            + (config.podUid().isEmpty() ? "" : " (uid " + config.podUid() + ")")
            + ", channel "
            + config.channelUrl()
            + ", target "
            + (ephemeral
                ? "the only JVM of its UID in the target container"
                : config.container().isEmpty() ? "the only JVM" : "container " + config.container())
            + ", dir "
            + config.dir());
    if (!Files.isRegularFile(agentJar)) {
      log.warn(
          "no agent jar at "
              + agentJar
              + " yet: copy hotpatch-agent.jar there"
              + " before the app container starts");
    }
    new Daemon(config, channel, new AttachedAgent(agentJar), locator, log, healthGet, Daemon.WATCH)
        .run();
  }

  /** Our effective UID: the kernel gives /proc/self to it. */
  private static long ourUid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self/"), "unix:uid");
  }

  private static void installAgent() throws InterruptedException {
    try {
      System.out.println(
          "hotpatch-sidecar: installed the agent at " + AgentInstaller.install(System.getenv()));
    } catch (SidecarConfig.Invalid | IOException e) {
      System.err.println("hotpatch-sidecar: cannot install the agent: " + e.getMessage());
      System.exit(2);
    }
    if (StartupStager.wanted(System.getenv())) {
      stageStartupBundles();
    }
  }

  /**
   * Holds the app containers until their startup bundles are staged, at most
   * HOTPATCH_STARTUP_WAIT_SECONDS.
   */
  private static void stageStartupBundles() throws InterruptedException {
    Log log = new Log(System.out, false);
    try {
      SidecarConfig config = SidecarConfig.fromEnv(System.getenv());
      StartupStager.Settings settings = StartupStager.Settings.fromEnv(System.getenv());
      if (settings.maxWait().isZero()) {
        return;
      }
      HttpsChannel channel =
          new HttpsChannel(config.podChannel(), config.tokenFile(), config.caFile());
      StartupStager.Result result =
          new StartupStager(channel, new BundleStore(config.bundleDir()), settings)
              .stage(config.dir());
      if (result.missing() == null) {
        log.info("staged " + result.bundles() + " startup bundle(s) in " + config.bundleDir());
      } else {
        log.warn(result.missing());
      }
    } catch (SidecarConfig.Invalid | IOException e) {
      System.err.println("hotpatch-sidecar: cannot stage the startup bundles: " + e.getMessage());
      System.exit(2);
    }
    // The channel's HTTP client may leave threads behind: the app containers wait for this exit.
    System.exit(0);
  }
}
