package io.hotpatch.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes an operator's liveness and readiness as the kubelet would with the chart's settings (every
 * 10 s and 5 s, 3 s to answer, 3 failures in a row to act), and keeps the longest run of failures
 * of each: a liveness run of 3 means Kubernetes would have restarted the operator.
 */
public final class KubeletProbes implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(3);
  static final int FAILURE_THRESHOLD = 3;

  private final ScheduledExecutorService probes =
      Executors.newScheduledThreadPool(
          2,
          task -> {
            Thread thread = new Thread(task, "kubelet-probe");
            thread.setDaemon(true);
            return thread;
          });
  private final Probe live;
  private final Probe ready;

  private KubeletProbes(OperatorProcess operator) {
    this.live = new Probe(operator, "live");
    this.ready = new Probe(operator, "ready");
  }

  /** Starts probing {@code operator}. */
  static KubeletProbes watch(OperatorProcess operator) {
    KubeletProbes watch = new KubeletProbes(operator);
    watch.probes.scheduleWithFixedDelay(watch.live::probe, 0, 10, TimeUnit.SECONDS);
    watch.probes.scheduleWithFixedDelay(watch.ready::probe, 0, 5, TimeUnit.SECONDS);
    return watch;
  }

  /** The longest run of failed liveness probes since the first that passed; -1 if none passed. */
  int livenessFailuresInARow() {
    return live.longestRun();
  }

  /** The longest run of failed readiness probes since the first that passed; -1 if none passed. */
  int readinessFailuresInARow() {
    return ready.longestRun();
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }

  /**
   * Whether {@code probe} answers 200 as the kubelet asks it: a GET on a new connection (no
   * keep-alive), given up after {@link #TIMEOUT}.
   */
  public static boolean answers(URI probe) {
    int timeoutMillis = (int) TIMEOUT.toMillis();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(probe.getHost(), probe.getPort()), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      socket
          .getOutputStream()
          .write(
              ("GET "
                      + probe.getPath()
                      + " HTTP/1.1\r\nHost: "
                      + probe.getHost()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return answer.startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * One probe's failures, counted only once it has passed: a starting operator is the startup
   * probe's business (and it is not ready until it leads).
   */
  private static final class Probe {
    private final URI probe;
    private final AtomicInteger longestRun = new AtomicInteger();
    private volatile boolean passed;
    private int run;

    Probe(OperatorProcess operator, String path) {
      this.probe = operator.managementUrl().resolve("/q/health/" + path);
    }

    int longestRun() {
      return passed ? longestRun.get() : -1;
    }

    void probe() {
      if (answers(probe)) {
        passed = true;
        run = 0;
      } else if (passed) {
        run++;
        longestRun.accumulateAndGet(run, Math::max);
      }
    }
  }
}
