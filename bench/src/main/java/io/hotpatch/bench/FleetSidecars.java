package io.hotpatch.bench;

import io.hotpatch.sidecar.daemon.EmbeddedSidecar;
import io.hotpatch.sidecar.daemon.SidecarConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sidecars of a simulated fleet, all in this process: each runs the sidecar image's own daemon
 * loop, HTTPS channel client (its own connection, token and TLS trust) and converge logic on a
 * thread of its own ({@link EmbeddedSidecar}); only the attach to the app JVM is replaced by a
 * {@link SimulatedJvm}.
 */
public final class FleetSidecars implements AutoCloseable {
  /** One pod's identity as the webhook hands it to its sidecar. */
  public record PodIdentity(String namespace, String name, String uid, String token) {}

  private final List<Thread> threads = new ArrayList<>();
  private final List<SimulatedJvm> jvms = new ArrayList<>();
  private final PrintStream log;

  private FleetSidecars(PrintStream log) {
    this.log = log;
  }

  /**
   * An empty fleet whose sidecars log, one line per event prefixed with the pod name, to {@code
   * logFile}.
   */
  public static FleetSidecars logTo(Path logFile) throws IOException {
    return new FleetSidecars(new PrintStream(Files.newOutputStream(logFile), true));
  }

  /**
   * Starts a pod's sidecar: its files go under {@code podDir}, its JVM applies a patch in {@code
   * applyTime}.
   */
  public void start(PodIdentity pod, URI channelUrl, Path caFile, Path podDir, Duration applyTime)
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
    EmbeddedSidecar sidecar = new EmbeddedSidecar(config, jvm, prefixed(pod.name()));
    Thread thread =
        new Thread(
            () -> {
              try {
                sidecar.run();
              } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
              }
            },
            "sidecar-" + pod.name());
    thread.setDaemon(true);
    thread.start();
    threads.add(thread);
    jvms.add(jvm);
  }

  /** How many sidecars converged their JVM at least once, so hold a long poll for news. */
  public long converged() {
    return jvms.stream().filter(SimulatedJvm::converged).count();
  }

  /** How many JVMs run the patch. */
  public long active(String sha256) {
    return jvms.stream().filter(jvm -> jvm.isActive(sha256)).count();
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
