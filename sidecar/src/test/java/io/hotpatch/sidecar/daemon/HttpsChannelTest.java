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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
      // Hang up before the handshake ends, as a stopping server does.
      Thread closer = acceptEach(dropping, Socket::close);
      URI url = podChannelAt(dropping.getLocalPort());

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
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // An overloaded operator: accepted, not served.
      Thread holder = acceptEach(silent, held::add);
      URI url = podChannelAt(silent.getLocalPort());
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

  /** Hands every connection {@code server} accepts to {@code onAccept}, until it is closed. */
  private static Thread acceptEach(ServerSocket server, SocketHandler onAccept) {
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  onAccept.handle(server.accept());
                } catch (IOException closed) {
                  return;
                }
              }
            });
    acceptor.start();
    return acceptor;
  }

  /** What a test server does with a connection it accepted. */
  private interface SocketHandler {
    void handle(Socket socket) throws IOException;
  }

  private static URI podChannelAt(int port) {
    return URI.create("https://127.0.0.1:" + port + "/channel/v1/namespaces/ns/pods/p/");
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
    return podChannelAt(server.getAddress().getPort());
  }

  private static HttpsChannel channel(URI podChannel, Path caFile) throws IOException {
    Path token = Files.writeString(Files.createTempFile(dir, "token", ""), "token");
    return new HttpsChannel(podChannel, token, caFile);
  }
}
