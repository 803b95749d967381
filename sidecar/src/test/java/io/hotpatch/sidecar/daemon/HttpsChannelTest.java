package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.testkit.LocalTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel's TLS against real servers: the trusted one answers; the failures name the right
 * cause.
 */
class HttpsChannelTest {
  @TempDir static Path dir;
  private static LocalTls operatorTls;
  private static LocalTls otherTls;
  private HttpsServer server;

  @BeforeAll
  static void certificates() {
    operatorTls = LocalTls.generate(dir.resolve("operator"));
    otherTls = LocalTls.generate(dir.resolve("other"));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void theOperatorsCertificateIsTrustedThroughTheCaFile() throws Exception {
    URI url = serve(operatorTls);

    DesiredState state =
        channel(url, operatorTls.caCert()).desired(null, 1).get(30, TimeUnit.SECONDS);

    assertThat(state.getRevision()).isEqualTo("7");
  }

  @Test
  void aCertificateFromAnotherCaNamesTheCaFile() throws Exception {
    URI url = serve(operatorTls);

    assertThatThrownBy(
            () -> channel(url, otherTls.caCert()).desired(null, 1).get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(ChannelException.class)
        .hasMessageContaining("GET desired failed TLS")
        .hasMessageContaining("issued by the CA in HOTPATCH_CA_FILE " + otherTls.caCert());
  }

  @Test
  void aHandshakeCutShortIsAnOperatorGoingAwayNotACaProblem() throws Exception {
    try (ServerSocket dropping = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread closer =
          new Thread(
              () -> {
                while (!dropping.isClosed()) {
                  try {
                    dropping
                        .accept()
                        .close(); // hang up before the handshake ends, as a stopping server does
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      closer.start();
      URI url =
          URI.create(
              "https://127.0.0.1:" + dropping.getLocalPort() + "/channel/v1/namespaces/ns/pods/p/");

      assertThatThrownBy(
              () -> channel(url, operatorTls.caCert()).desired(null, 1).get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(ChannelException.class)
          .hasMessageContaining("check that the operator runs")
          .hasMessageNotContaining("CA")
          .isInstanceOfSatisfying(ChannelException.class, e -> assertThat(e.timedOut()).isFalse());
      dropping.close();
      closer.join();
    }
  }

  @Test
  void anOperatorThatAcceptsButNeverHandshakesTimesOutWhichIsNotAnOutage() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread holder =
          new Thread(
              () -> {
                while (!silent.isClosed()) {
                  try {
                    held.add(silent.accept()); // an overloaded operator: accepted, not served
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      holder.start();
      URI url =
          URI.create(
              "https://127.0.0.1:" + silent.getLocalPort() + "/channel/v1/namespaces/ns/pods/p/");
      HttpClient impatient =
          HttpsChannel.builder(operatorTls.caCert()).connectTimeout(Duration.ofMillis(300)).build();
      Path token = Files.writeString(Files.createTempFile(dir, "token", ""), "token");

      assertThatThrownBy(
              () ->
                  new HttpsChannel(url, token, impatient)
                      .desired(null, 1)
                      .get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              ChannelException.class,
              e -> {
                assertThat(e.status()).isZero();
                assertThat(e.timedOut()).isTrue();
              });
      silent.close();
      holder.join();
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void aReplicaThatDoesNotLeadSaysWhenToComeBack() throws Exception {
    URI url =
        serve(
            operatorTls,
            503,
            "{\"error\":\"this replica is not the leader\"}",
            Map.of("Retry-After", "1"));

    assertThatThrownBy(() -> channel(url, operatorTls.caCert()).report(new PodReport()))
        .isInstanceOfSatisfying(
            ChannelException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
              assertThat(e)
                  .hasMessage("POST report answered HTTP 503: this replica is not the leader");
            });
  }

  private URI serve(LocalTls tls) throws IOException {
    return serve(tls, 200, "{\"revision\":\"7\",\"patches\":[]}", Map.of());
  }

  /** A server answering every request with this status, JSON body and headers. */
  private URI serve(LocalTls tls, int status, String json, Map<String, String> headers)
      throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    server.createContext(
        "/",
        exchange -> {
          byte[] body = json.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          headers.forEach(exchange.getResponseHeaders()::add);
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return URI.create(
        "https://127.0.0.1:" + server.getAddress().getPort() + "/channel/v1/namespaces/ns/pods/p/");
  }

  private static HttpsChannel channel(URI podChannel, Path caFile) throws IOException {
    Path token = Files.writeString(Files.createTempFile(dir, "token", ""), "token");
    return new HttpsChannel(podChannel, token, caFile);
  }
}
