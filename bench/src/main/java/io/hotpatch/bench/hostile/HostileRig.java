package io.hotpatch.bench.hostile;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.hotpatch.bench.MockApiServer;
import io.hotpatch.bench.OperatorProcess;
import io.hotpatch.testkit.LocalTls;
import io.hotpatch.testkit.StandInPods;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The built operator process against the mock API server with one running pod whose sidecar the
 * attack leaves alone: what a hostile client meets, and a good sidecar to check it is still served.
 */
public final class HostileRig implements AutoCloseable {
  public static final String NAMESPACE = "shop";
  public static final String POD = "checkout-0";

  private final MockApiServer api;
  private final LocalTls tls;
  private final OperatorProcess operator;
  private final String podToken;

  private HostileRig(MockApiServer api, LocalTls tls, OperatorProcess operator, String podToken) {
    this.api = api;
    this.tls = tls;
    this.operator = operator;
    this.podToken = podToken;
  }

  /**
   * Starts the mock API with the pod, then the operator with the chart's settings plus {@code
   * settings} ({@code key=value}), logging under {@code workDir}.
   */
  public static HostileRig start(
      Path javaHome, Path operatorJar, Path workDir, List<String> settings) throws IOException {
    Files.createDirectories(workDir);
    MockApiServer api = MockApiServer.start();
    try {
      api.client()
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      Pod pod =
          api.client()
              .pods()
              .inNamespace(NAMESPACE)
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName(POD)
                      .withNamespace(NAMESPACE)
                      .endMetadata()
                      .withSpec(StandInPods.appSpec())
                      .withNewStatus()
                      .withPhase("Running")
                      .endStatus()
                      .build())
              .create();
      String token = api.issueToken(NAMESPACE, POD, pod.getMetadata().getUid());
      LocalTls tls = LocalTls.shared(workDir);
      OperatorProcess operator =
          OperatorProcess.start(
              javaHome, operatorJar, api.url(), tls, workDir.resolve("operator.log"), settings);
      return new HostileRig(api, tls, operator, token);
    } catch (IOException | RuntimeException e) {
      api.close();
      throw e;
    }
  }

  public MockApiServer api() {
    return api;
  }

  public OperatorProcess operator() {
    return operator;
  }

  /** A hand-written HTTPS client that trusts the operator's CA. */
  public RawHttps raw() {
    return new RawHttps(tls.clientContext(), operator.channelUrl());
  }

  /**
   * A client as the good sidecar has one: its own connection, kept alive, trusting the operator's
   * CA.
   */
  public HttpClient sidecarClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(tls.clientContext())
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /**
   * One long poll of the good sidecar's desired state, as its daemon sends it: held up to {@code
   * waitSeconds} while the state is still {@code revision} (null: answered at once).
   */
  public HttpResponse<String> poll(HttpClient client, String revision, int waitSeconds)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                operator
                    .channelUrl()
                    .resolve(
                        "/channel/v1/namespaces/"
                            + NAMESPACE
                            + "/pods/"
                            + POD
                            + "/desired?waitSeconds="
                            + waitSeconds
                            + (revision == null ? "" : "&revision=" + revision)))
            .header("Authorization", "Bearer " + podToken)
            .timeout(Duration.ofSeconds(waitSeconds + 30L))
            .GET()
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The health endpoint the kubelet's readiness probe reads. */
  public URI readiness() {
    return operator.managementUrl().resolve("/q/health/ready");
  }

  /** The {@code n}th loopback address, 127.0.0.n, to give an attack a source address of its own. */
  public static InetAddress loopback(int n) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) n});
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      operator.close();
    } finally {
      api.close();
    }
  }
}
