package io.hotpatch.bench;

import io.hotpatch.sample.Http;
import io.hotpatch.testkit.LocalTls;
import io.hotpatch.testkit.TestJvmFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The built operator (quarkus-run.jar) as its own process, configured as the chart runs it (prod
 * profile, leader election, the chart's default 512 MiB limit as heap bound) but pointed at the
 * mock API server, which lacks server-side apply.
 */
public final class OperatorProcess implements AutoCloseable {
  public static final String NAMESPACE = "hotpatch-system";
  private static final Duration STARTUP = Duration.ofMinutes(2);
  private static final HttpClient HEALTH_CLIENT = HttpClient.newHttpClient();

  /**
   * What it takes to start the operator again, on the same ports; {@code identity} is its HOSTNAME,
   * the leader-election identity, which a restart keeps as a restarted pod keeps its name.
   */
  private record Launch(
      Path javaHome,
      Path jar,
      String apiServerUrl,
      LocalTls tls,
      int managementPort,
      int httpsPort,
      String identity,
      List<String> settings) {}

  private final Launch launch;
  private final Process process;
  private final Path log;

  private OperatorProcess(Launch launch, Process process, Path log) {
    this.launch = launch;
    this.process = process;
    this.log = log;
  }

  /** Starts the operator on free ports and waits until it reports ready. */
  static OperatorProcess start(Path javaHome, Path jar, String apiServerUrl, LocalTls tls, Path log)
      throws IOException {
    return start(javaHome, jar, apiServerUrl, tls, log, List.of());
  }

  /**
   * The same, with more settings over the chart's defaults: {@code key=value} as a -D option, or a
   * JVM option that starts with {@code -}.
   */
  public static OperatorProcess start(
      Path javaHome, Path jar, String apiServerUrl, LocalTls tls, Path log, List<String> settings)
      throws IOException {
    return start(javaHome, jar, apiServerUrl, tls, podName(), log, channelUrl -> settings);
  }

  /**
   * The same, with settings that name where sidecars reach it (the webhook's {@code
   * hotpatch.channel.url}, say), computed from its channel URL before it starts.
   */
  public static OperatorProcess start(
      Path javaHome,
      Path jar,
      String apiServerUrl,
      LocalTls tls,
      Path log,
      Function<URI, List<String>> settings)
      throws IOException {
    return start(javaHome, jar, apiServerUrl, tls, podName(), log, settings);
  }

  /**
   * Starts a replica whose leader-election identity (its pod name, HOSTNAME) is {@code identity},
   * with settings computed from its channel URL as above.
   */
  static OperatorProcess start(
      Path javaHome,
      Path jar,
      String apiServerUrl,
      LocalTls tls,
      String identity,
      Path log,
      Function<URI, List<String>> settings)
      throws IOException {
    requireJar(jar);
    int httpsPort = freePort();
    return start(
        new Launch(
            javaHome,
            jar,
            apiServerUrl,
            tls,
            freePort(),
            httpsPort,
            identity,
            List.copyOf(settings.apply(channelUrl(httpsPort)))),
        log);
  }

  /**
   * A pod name of its own: without one, an operator whose environment lacks HOSTNAME takes a random
   * identity, and its restart waits out the Lease its killed self still holds.
   */
  private static String podName() {
    return "hotpatch-operator-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void requireJar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no operator at "
              + jar
              + ": build it first (mvn -pl operator -am package"
              + " -DskipTests), or pass --operator-jar");
    }
  }

  /** A new operator process on the ports of this one, which must have ended. */
  OperatorProcess restart(Path log) throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException(
          "the operator, pid " + process.pid() + ", still runs: kill it first");
    }
    return start(launch, log);
  }

  private static OperatorProcess start(Launch launch, Path log) throws IOException {
    Path javaHome = launch.javaHome();
    LocalTls tls = launch.tls();
    List<String> command =
        new ArrayList<>(
            List.of(
                javaHome.resolve("bin/java").toString(),
                // The heap the image's JVM takes from the chart's default memory limit.
                "-Xmx" + OperatorSizing.CHART_DEFAULT.maxHeapMiB() + "m",
                // The image's JIT: C1 only.
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED"));
    command.addAll(localOptions(tls, launch.managementPort(), launch.httpsPort()));
    command.addAll(TestJvmFlags.get());
    // After the chart's flags above, so that a JVM option given here (-Xmx, say) wins.
    launch
        .settings()
        .forEach(setting -> command.add(setting.startsWith("-") ? setting : "-D" + setting));
    command.addAll(List.of("-jar", launch.jar().toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putAll(environment(launch.identity(), launch.apiServerUrl()));
    OperatorProcess operator = new OperatorProcess(launch, builder.start(), log);
    operator.awaitReady();
    return operator;
  }

  /**
   * The environment of an operator whose leader-election identity is {@code identity}, as the
   * chart's Deployment gives it, with the Kubernetes client's own variables pointing it at {@code
   * apiServerUrl}: Quarkus's properties for the client are fixed at build time, and setting them at
   * run time makes it warn.
   */
  public static Map<String, String> environment(String identity, String apiServerUrl) {
    return Map.of(
        "HOSTNAME",
        identity,
        "POD_NAMESPACE",
        NAMESPACE,
        "KUBERNETES_MASTER",
        apiServerUrl,
        "KUBERNETES_NAMESPACE",
        NAMESPACE);
  }

  /**
   * The -D options that put the operator's servers on this machine's loopback ports, serve the TLS
   * files and shorten leader election; the API server it talks to is set apart.
   */
  public static List<String> localOptions(LocalTls tls, int managementPort, int httpsPort) {
    return List.of(
        "-Dquarkus.http.host=127.0.0.1",
        "-Dquarkus.management.host=127.0.0.1",
        "-Dquarkus.management.port=" + managementPort,
        "-Dquarkus.http.ssl-port=" + httpsPort,
        "-Dquarkus.tls.serving.key-store.pem.0.cert=" + tls.certChain(),
        "-Dquarkus.tls.serving.key-store.pem.0.key=" + tls.key(),
        "-Dhotpatch.webhook.ca-file=" + tls.caCert(),
        // A killed leader's Lease expires in 10 s rather than 15 s, so that failover tests stay
        // short; a renewal may still take 8 s on a loaded machine before the leader gives up (and
        // exits).
        "-Dhotpatch.operator.leader-election.lease-duration=10s",
        "-Dhotpatch.operator.leader-election.renew-deadline=8s",
        "-Dhotpatch.operator.leader-election.retry-period=1s");
  }

  /** Its leader-election identity: the HOSTNAME it was started with. */
  public String identity() {
    return launch.identity();
  }

  /** Where sidecars reach the channel (HOTPATCH_CHANNEL_URL), and the API server the webhook. */
  public URI channelUrl() {
    return channelUrl(launch.httpsPort());
  }

  private static URI channelUrl(int httpsPort) {
    return URI.create("https://127.0.0.1:" + httpsPort);
  }

  /** The HTTP status of a health probe ({@code live} or {@code ready}): 200 UP, 503 DOWN. */
  int health(String probe) {
    HttpRequest request =
        HttpRequest.newBuilder(managementUrl().resolve("/q/health/" + probe))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      return HEALTH_CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException("the operator's /q/health/" + probe + " did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** CPU time the operator used since it started (user and system). */
  public Duration cpu() {
    return process
        .toHandle()
        .info()
        .totalCpuDuration()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the CPU time of pid " + process.pid() + " is not readable on this platform"));
  }

  /**
   * Heap in use right after a full collection (jcmd GC.run), as the operator's own metrics report
   * it.
   */
  long liveHeapBytes() {
    jcmd("GC.run");
    return heapUsedBytes();
  }

  /** Heap in use now, from the Micrometer metrics the operator exports. */
  long heapUsedBytes() {
    return (long)
        Http.get(managementUrl().resolve("/q/metrics"))
            .lines()
            .filter(
                line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
  }

  /**
   * Its sidecar channel now, from one scrape: the long polls it holds ({@code
   * hotpatch_channel_polls_waiting}) and the TLS handshakes it refused as too late since it started
   * ({@code hotpatch_https_handshakes_shed_total}).
   */
  ChannelMetrics channelMetrics() {
    List<String> lines = Http.get(managementUrl().resolve("/q/metrics")).lines().toList();
    return new ChannelMetrics(
        untagged(lines, "hotpatch_channel_polls_waiting"),
        untagged(lines, "hotpatch_https_handshakes_shed_total"));
  }

  /** The sidecar channel's figures of one metrics scrape. */
  record ChannelMetrics(long pollsWaiting, long handshakesShed) {}

  private static long untagged(List<String> metrics, String name) {
    return metrics.stream()
        .filter(line -> line.startsWith(name + " "))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The plain HTTP port of health and metrics (the management interface). */
  public URI managementUrl() {
    return URI.create("http://127.0.0.1:" + launch.managementPort());
  }

  /** The highest resident set size so far (VmHWM). */
  public long peakRssBytes() {
    return status("VmHWM:");
  }

  /** The resident set size now (VmRSS). */
  public long rssBytes() {
    return status("VmRSS:");
  }

  /** File descriptors the operator holds open now (sockets included). */
  public long openFiles() {
    try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc of the operator, pid " + process.pid(), e);
    }
  }

  private long status(String field) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
          .filter(line -> line.startsWith(field))
          .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
          .findFirst()
          .orElse(-1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc of the operator, pid " + process.pid(), e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    URI ready = managementUrl().resolve("/q/health/ready");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator exited with " + process.exitValue() + " at start: " + tail());
      }
      try {
        Http.get(ready);
        // Readiness is served by the management interface, which may answer before the HTTPS
        // server that sidecars and the webhook reach has bound its port.
        if (accepts(launch.httpsPort())) {
          return;
        }
      } catch (IllegalStateException notYet) {
        // not yet
      }
      sleep(Duration.ofMillis(200));
    }
    throw new IllegalStateException(
        "the operator was not ready after " + STARTUP.toSeconds() + " s: " + tail());
  }

  /** Whether something accepts TCP connections on the loopback's {@code port}. */
  public static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private void jcmd(String command) {
    try {
      Process jcmd =
          new ProcessBuilder(
                  launch.javaHome().resolve("bin/jcmd").toString(),
                  Long.toString(process.pid()),
                  command)
              .redirectErrorStream(true)
              .start();
      String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
        throw new IllegalStateException(
            "jcmd " + process.pid() + " " + command + " failed: " + output.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run jcmd of " + launch.javaHome(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The end of the operator's log, for an error message. */
  public String tail() {
    try {
      return tail(log.toString(), Files.readAllLines(log));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /** The last lines of a log, named by {@code where}, for an error message. */
  public static String tail(String where, List<String> lines) {
    return "last lines of "
        + where
        + ":\n  "
        + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  /** Whether the process still runs (an OutOfMemoryError ends it: -XX:+ExitOnOutOfMemoryError). */
  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, the leader Lease stays held until it expires. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
