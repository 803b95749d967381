package io.hotpatch.bench;

import io.hotpatch.sidecar.daemon.EmbeddedSidecar;
import io.hotpatch.sidecar.daemon.SidecarConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sidecars of a simulated fleet, all in this process: each runs the sidecar image's own daemon
 * loop, HTTPS channel client (its own connection and token; its own TLS trust and client, or one
 * client shared by a few hundred in a large fleet) and converge logic on a thread of its own
 * ({@link EmbeddedSidecar}); only the attach to the app JVM is replaced by a {@link SimulatedJvm}.
 */
public final class FleetSidecars implements AutoCloseable {
  /** One pod's identity as the webhook hands it to its sidecar. */
  public record PodIdentity(String namespace, String name, String uid, String token) {}

  private static final long STACK_BYTES = 256 * 1024;

  private final List<Thread> threads = new ArrayList<>();
  private final List<Thread> unstarted = new ArrayList<>();

  /** Started sidecars the operator may not have answered yet: a few, pruned as they are. */
  private final List<EmbeddedSidecar> connecting = new ArrayList<>();

  private final List<SimulatedJvm> jvms = new ArrayList<>();
  private final List<EmbeddedSidecar> sidecars = new ArrayList<>();
  private final PrintStream log;

  /**
   * The process every sidecar watches as its app JVM's: a small one, since the kernel sums a
   * process's threads on each look, and this one runs thousands. {@code cat} on a pipe from this
   * process ends with it.
   */
  private final Process appStandIn;

  private FleetSidecars(PrintStream log, Process appStandIn) {
    this.log = log;
    this.appStandIn = appStandIn;
  }

  /**
   * An empty fleet whose sidecars log, one line per event prefixed with the pod name, to {@code
   * logFile}.
   */
  public static FleetSidecars logTo(Path logFile) throws IOException {
    return new FleetSidecars(
        new PrintStream(Files.newOutputStream(logFile), true), new ProcessBuilder("cat").start());
  }

  /**
   * Builds a pod's sidecar, not started yet: its files go under {@code podDir}, its JVM applies a
   * patch in {@code applyTime}, it talks on {@code client} (its own, or one others share).
   */
  public void add(
      PodIdentity pod,
      URI channelUrl,
      Path caFile,
      Path podDir,
      Duration applyTime,
      HttpClient client)
      throws IOException {
    Files.createDirectories(podDir.resolve("agent"));
    Path tokenFile = Files.writeString(podDir.resolve("token"), pod.token());
    SidecarConfig config =
        new SidecarConfig(
            channelUrl,
            pod.name(),
            pod.namespace(),
            pod.uid(),
            tokenFile,
            caFile,
            "",
            podDir,
            30,
            false);
    SimulatedJvm jvm = new SimulatedJvm(applyTime);
    PrintStream out = prefixed(pod.name());
    EmbeddedSidecar sidecar = new EmbeddedSidecar(config, jvm, appStandIn.pid(), out, client);
    // A small stack: ten thousand of these share the process.
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                sidecar.run();
              } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
              }
            },
            "sidecar-" + pod.name(),
            STACK_BYTES);
    thread.setDaemon(true);
    unstarted.add(thread);
    jvms.add(jvm);
    sidecars.add(sidecar);
  }

  /**
   * Starts every sidecar added since the last call, as fast as they connect: at most {@code
   * maxConnecting} at a time that the operator has not answered yet. Thousands of handshakes at
   * once would queue in this process's clients (on the operator's cores) past their connect timeout
   * and measure the retries that follow, not the operator.
   */
  public void startAdded(int maxConnecting) throws InterruptedException {
    List<EmbeddedSidecar> added =
        sidecars.subList(sidecars.size() - unstarted.size(), sidecars.size());
    for (int i = 0; i < unstarted.size(); i++) {
      // Counting the fleet's answered sidecars before each start cost time squared in the fleet.
      while (stillConnecting() >= maxConnecting) {
        Thread.sleep(5);
      }
      unstarted.get(i).start();
      threads.add(unstarted.get(i));
      connecting.add(added.get(i));
    }
    unstarted.clear();
  }

  private int stillConnecting() {
    connecting.removeIf(EmbeddedSidecar::answered);
    return connecting.size();
  }

  /** How many sidecars were added. */
  public int size() {
    return jvms.size();
  }

  /** How many sidecars the operator has answered, so that they hold a long poll for news. */
  public long answered() {
    return sidecars.stream().filter(EmbeddedSidecar::answered).count();
  }

  /** How many JVMs run the patch. */
  public long active(String sha256) {
    return jvms.stream().filter(jvm -> jvm.isActive(sha256)).count();
  }

  /** The fleet's redefinitions, by start: a one-pod-at-a-time rollout never overlaps two. */
  public List<SimulatedJvm.Redefinition> redefinitions() {
    return jvms.stream()
        .flatMap(jvm -> jvm.redefinitions().stream())
        .sorted(Comparator.comparingLong(SimulatedJvm.Redefinition::startNanos))
        .toList();
  }

  /** Redefinitions across the fleet: each JVM should be patched exactly once. */
  public List<Integer> appliesPerJvm() {
    return jvms.stream().map(SimulatedJvm::applies).toList();
  }

  @Override
  public void close() throws InterruptedException {
    threads.forEach(Thread::interrupt);
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(10).toMillis());
    }
    log.close();
    appStandIn.destroy();
  }

  private PrintStream prefixed(String podName) {
    return new PrintStream(OutputStream.nullOutputStream()) {
      @Override
      public void println(String line) {
        log.println(podName + " " + line);
      }
    };
  }
}
