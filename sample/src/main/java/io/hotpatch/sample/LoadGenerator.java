package io.hotpatch.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Steady HTTP load on one URI from a few threads, each with its own keep-alive client, recording
 * every request (time, latency, outcome, body) so that any time window can be summarised. Bounded:
 * it stops by itself after {@link #MAX_DURATION}.
 */
public final class LoadGenerator implements AutoCloseable {
  /** Upper bound on a run, so a forgotten generator cannot load the machine forever. */
  public static final Duration MAX_DURATION = Duration.ofMinutes(10);

  private static final long PAUSE_MILLIS = 2;

  private record Sample(long atNanos, long latencyNanos, boolean ok, String body) {}

  private final URI uri;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final List<Sample> samples = new ArrayList<>();
  private final long deadline = System.nanoTime() + MAX_DURATION.toNanos();
  private String firstFailure = "";

  private LoadGenerator(URI uri) {
    this.uri = uri;
  }

  /** Starts {@code threads} request loops against {@code uri}. */
  public static LoadGenerator start(URI uri, int threads) {
    LoadGenerator load = new LoadGenerator(uri);
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(load::run, "hotpatch-load-" + i);
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void run() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
    while (running.get() && System.nanoTime() < deadline) {
      long start = System.nanoTime();
      boolean ok = false;
      String body = null;
      String failure = null;
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        ok = response.statusCode() == 200;
        body = response.body();
        failure = ok ? null : "HTTP " + response.statusCode();
      } catch (IOException e) {
        failure = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      record(new Sample(start, System.nanoTime() - start, ok, body), failure);
      TargetJvm.sleepMillis(PAUSE_MILLIS);
    }
  }

  private synchronized void record(Sample sample, String failure) {
    samples.add(sample);
    if (failure != null && firstFailure.isEmpty()) {
      firstFailure = failure;
    }
  }

  /** Everything so far. */
  public LoadStats stats() {
    return statsBetween(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** Requests started within [fromNanos, toNanos) on the {@link System#nanoTime()} clock. */
  public synchronized LoadStats statsBetween(long fromNanos, long toNanos) {
    List<Long> latencies = new ArrayList<>();
    Set<String> bodies = new LinkedHashSet<>();
    long failed = 0;
    for (Sample sample : samples) {
      if (sample.atNanos() < fromNanos || sample.atNanos() >= toNanos) {
        continue;
      }
      latencies.add(sample.latencyNanos() / 1000);
      if (sample.ok()) {
        bodies.add(sample.body());
      } else {
        failed++;
      }
    }
    latencies.sort(null);
    return new LoadStats(
        latencies.size(),
        latencies.size() - failed,
        failed,
        percentile(latencies, 50),
        percentile(latencies, 99),
        latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
        bodies,
        firstFailure);
  }

  private static long percentile(List<Long> sorted, int percent) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  /** Nano time at which a request first returned {@code body} after {@code fromNanos}, or -1. */
  public synchronized long firstAnswer(String body, long fromNanos) {
    long first = -1;
    for (Sample sample : samples) {
      long end = sample.atNanos() + sample.latencyNanos();
      if (sample.atNanos() >= fromNanos
          && sample.ok()
          && body.equals(sample.body())
          && (first < 0 || end < first)) {
        first = end;
      }
    }
    return first;
  }

  /** Waits until at least {@code count} requests have completed since this call. */
  public void awaitRequests(int count) {
    long target;
    synchronized (this) {
      target = samples.size() + count;
    }
    long deadlineNanos = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadlineNanos) {
      synchronized (this) {
        if (samples.size() >= target) {
          return;
        }
      }
      TargetJvm.sleepMillis(5);
    }
    throw new IllegalStateException("load generator saw fewer than " + count + " requests in 30 s");
  }

  /** Stops the loops and returns the whole run's statistics. */
  public LoadStats stop() {
    running.set(false);
    for (Thread thread : threads) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return stats();
  }

  @Override
  public void close() {
    stop();
  }
}
