package io.hotpatch.bench.hostile;

import io.hotpatch.bench.KubeletProbes;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sidecar connected before an attack, long-polling (1 s) on its kept-alive connection, and the
 * kubelet reading the readiness probe once a second, each on a thread of its own; counts what was
 * served, how slowly, and the longest run of failed probes (3 in a row restart the pod).
 */
public final class GoodSidecar implements AutoCloseable {
  private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*\"([^\"]+)\"");
  private final HostileRig rig;
  private final HttpClient channel;
  private final AtomicInteger polls = new AtomicInteger();
  private final AtomicInteger pollFailures = new AtomicInteger();
  private final AtomicLong slowestPollNanos = new AtomicLong();
  private final AtomicInteger probeFailures = new AtomicInteger();
  private final AtomicInteger probesRead = new AtomicInteger();
  private final AtomicInteger probeFailuresInARow = new AtomicInteger();
  private final Thread poller;
  private final Thread prober;
  private volatile boolean stopped;
  private String revision;

  /** Connects and waits for the first poll to be served, then keeps polling. */
  public GoodSidecar(HostileRig rig) throws IOException, InterruptedException {
    this.rig = rig;
    this.channel = rig.sidecarClient();
    HttpResponse<String> first = rig.poll(channel, null, 1);
    if (first.statusCode() != 200) {
      throw new IllegalStateException(
          "the good sidecar's first poll got " + first.statusCode() + ": " + rig.operator().tail());
    }
    revision = revision(first.body());
    poller = start(this::poll, "good-sidecar");
    prober = start(this::probe, "kubelet-probe");
  }

  /** The revision of a desired state, which the next poll sends to wait for a change. */
  private static String revision(String desiredState) {
    Matcher revision = REVISION.matcher(desiredState);
    return revision.find() ? revision.group(1) : null;
  }

  private static Thread start(Runnable loop, String name) {
    Thread thread = new Thread(loop, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void poll() {
    while (!stopped) {
      long start = System.nanoTime();
      try {
        HttpResponse<String> answer = rig.poll(channel, revision, 1);
        if (answer.statusCode() == 200) {
          revision = revision(answer.body());
          polls.incrementAndGet();
        } else {
          pollFailures.incrementAndGet();
        }
      } catch (IOException e) {
        pollFailures.incrementAndGet();
      } catch (InterruptedException e) {
        return;
      }
      slowestPollNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
    }
  }

  private void probe() {
    int inARow = 0;
    while (!stopped) {
      if (KubeletProbes.answers(rig.readiness())) {
        probesRead.incrementAndGet();
        inARow = 0;
      } else {
        probeFailures.incrementAndGet();
        probeFailuresInARow.accumulateAndGet(++inARow, Math::max);
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  public int polls() {
    return polls.get();
  }

  public int pollFailures() {
    return pollFailures.get();
  }

  /** The longest poll, 1 s of which is its own wait. */
  public Duration slowestPoll() {
    return Duration.ofNanos(slowestPollNanos.get());
  }

  public int probesRead() {
    return probesRead.get();
  }

  public int probeFailures() {
    return probeFailures.get();
  }

  /** The longest run of failed probes; the chart's liveness probe restarts the pod at 3. */
  public int probeFailuresInARow() {
    return probeFailuresInARow.get();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    poller.join(Duration.ofSeconds(10).toMillis());
    prober.join(Duration.ofSeconds(10).toMillis());
  }
}
