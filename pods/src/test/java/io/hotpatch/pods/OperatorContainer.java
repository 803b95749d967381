package io.hotpatch.pods;

import static org.awaitility.Awaitility.await;

import io.hotpatch.bench.OperatorProcess;
import io.hotpatch.testkit.LocalTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The operator image run as the chart runs it (user 1001, read-only root, /tmp in memory, the
 * chart's default memory limit, the TLS Secret mounted read-only), on the host network and pointed
 * at the mock API server (plain HTTP).
 */
final class OperatorContainer implements AutoCloseable {
  /** The chart's runAsUser and runAsGroup. */
  static final int UID = 1001;

  /** The chart's default memory limit (values.yaml, resources.limits.memory). */
  static final String MEMORY_LIMIT = "512m";

  private static final Duration STARTUP = Duration.ofMinutes(2);

  private final String name;
  private final int managementPort;
  private final int httpsPort;

  private OperatorContainer(String name, int managementPort, int httpsPort) {
    this.name = name;
    this.managementPort = managementPort;
    this.httpsPort = httpsPort;
  }

  /**
   * Starts it, with more settings ({@code key=value}) computed from its channel URL, given as the
   * chart gives them (environment variables, {@code HOTPATCH_CHANNEL_URL} for {@code
   * hotpatch.channel.url}), and waits until it is ready and its HTTPS port accepts. The TLS files
   * must be readable by {@link #UID}.
   */
  static OperatorContainer start(
      String apiServerUrl, LocalTls tls, Function<URI, List<String>> settings) {
    OperatorContainer operator =
        new OperatorContainer(PodTier.unique("operator"), PodTier.freePort(), PodTier.freePort());
    Path tlsDir = tls.caCert().getParent();
    List<String> run =
        new ArrayList<>(
            List.of(
                "run",
                "--detach",
                "--name",
                operator.name,
                "--network",
                "host",
                "--read-only",
                "--memory",
                MEMORY_LIMIT,
                // An emptyDir in the chart: where BoringSSL's library is unpacked.
                "--tmpfs",
                "/tmp:size=64m",
                "--volume",
                tlsDir + ":" + tlsDir + ":ro"));
    run.addAll(Podman.restricted(UID, UID));
    Map<String, String> env =
        new LinkedHashMap<>(OperatorProcess.environment(operator.name, apiServerUrl));
    env.put(
        "JAVA_TOOL_OPTIONS",
        String.join(
            " ", OperatorProcess.localOptions(tls, operator.managementPort, operator.httpsPort)));
    for (String setting : settings.apply(operator.channelUrl())) {
      int equals = setting.indexOf('=');
      env.put(
          setting.substring(0, equals).replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT),
          setting.substring(equals + 1));
    }
    env.forEach((name, value) -> run.addAll(List.of("--env", name + "=" + value)));
    run.add(PodTier.OPERATOR_IMAGE);
    Podman.check(run.toArray(String[]::new));
    try {
      await()
          .atMost(STARTUP)
          .pollInterval(Duration.ofMillis(250))
          .failFast(() -> PodTier.assertRunning(operator.name))
          .until(operator::ready);
    } catch (RuntimeException | AssertionError e) {
      String log = Podman.logs(operator.name);
      operator.close();
      throw new IllegalStateException("the operator image did not get ready: " + log, e);
    }
    return operator;
  }

  /** Ready, and the HTTPS server that sidecars and the webhook reach has bound its port. */
  private boolean ready() {
    return !PodTier.tryGet(managementUrl().resolve("/q/health/ready")).isEmpty()
        && OperatorProcess.accepts(httpsPort);
  }

  /** Where sidecars reach the channel, and the API server the webhook: HTTPS on the loopback. */
  URI channelUrl() {
    return URI.create("https://127.0.0.1:" + httpsPort);
  }

  /** Health and metrics: plain HTTP on the loopback. */
  URI managementUrl() {
    return URI.create("http://127.0.0.1:" + managementPort);
  }

  /** Its log so far. */
  String log() {
    return Podman.logs(name);
  }

  /** The end of its log, for an error message. */
  String tail() {
    return OperatorProcess.tail("the operator container " + name, log().lines().toList());
  }

  @Override
  public void close() {
    Podman.removeContainer(name);
  }
}
