package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hotpatch.operator.TestSettings;
import io.hotpatch.testkit.LocalTls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real Vert.x HTTPS server, set up as the operator's, names the TLS session that served it and
 * refuses handshakes that waited too long.
 */
class HttpsEngineTest {
  private static final Duration MAX_WAIT = Duration.ofMillis(300);

  @TempDir static Path dir;
  private static LocalTls tls;
  private Vertx vertx;
  private SimpleMeterRegistry registry;
  private StaleHandshakes stale;

  /** One CA and certificate for every test: keytool takes seconds to make them. */
  @BeforeAll
  static void certificate() {
    tls = LocalTls.generate(dir.resolve("tls"));
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
    stale = new StaleHandshakes(registry, MAX_WAIT, 0);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void handshakesGoThroughBoringSslByDefault() throws Exception {
    assertThat(sessionServing(Map.of())).contains("OpenSsl");
  }

  @Test
  void handshakesGoThroughTheJdkWhenSettingsSayJdk() throws Exception {
    assertThat(sessionServing(Map.of("hotpatch.operator.tls-engine", "Jdk")))
        .startsWith("sun.security.ssl.");
  }

  @Test
  void aRenewedCertificateServesTheNextHandshakeThroughBoringSsl() throws Exception {
    HttpServer server = serve(Map.of());
    LocalTls renewed = LocalTls.generate(dir.resolve("renewed"));

    // What the operator's TLS registry does when the mounted Secret changes.
    server
        .updateSSLOptions(new SSLOptions().setKeyCertOptions(keyCert(renewed)))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    assertThat(sessionClass(server, renewed)).contains("OpenSsl");
  }

  @ParameterizedTest
  @ValueSource(strings = {"OpenSsl", "Jdk"})
  void aClientHelloReadAfterTheWaitIsRefusedAndTheNextConnectionServed(String engine)
      throws Exception {
    HttpServer server = serve(Map.of("hotpatch.operator.tls-engine", engine));

    try (Socket raw = new Socket("localhost", server.actualPort())) {
      assertThatThrownBy(tlsAfterTheWait(server, raw)::startHandshake)
          .isInstanceOf(SSLException.class);
    }

    assertThat(shed()).isEqualTo(1);
    assertThat(sessionClass(server, tls)).isNotEmpty();
    assertThat(shed()).isEqualTo(1);
  }

  @Test
  void aLateClientHelloIsServedWhileFewHandshakesArePending() throws Exception {
    stale = new StaleHandshakes(registry, MAX_WAIT, 1);
    HttpServer server = serve(Map.of());

    try (Socket raw = new Socket("localhost", server.actualPort())) {
      SSLSocket late = tlsAfterTheWait(server, raw);
      late.startHandshake();
      assertThat(late.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }

    assertThat(shed()).isZero();
  }

  @Test
  void silentConnectionsTurnNoFreshClientAwayAndAreForgottenWhenClosed() throws Exception {
    stale = new StaleHandshakes(registry, MAX_WAIT, StaleHandshakes.BUSY);
    HttpServer server = serve(Map.of());
    List<Socket> silent = new ArrayList<>();
    for (int i = 0; i <= StaleHandshakes.BUSY; i++) {
      silent.add(new Socket("localhost", server.actualPort()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> stale.pending() == StaleHandshakes.BUSY + 1);
    Thread.sleep(MAX_WAIT.multipliedBy(2).toMillis());

    assertThat(sessionClass(server, tls)).isNotEmpty();
    for (Socket socket : silent) {
      socket.close();
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> stale.pending() == 0);
    assertThat(shed()).isZero();
  }

  /**
   * TLS over {@code raw} once the server has accepted it and the wait has passed: its ClientHello
   * comes as late as one queued behind a fleet's would be read.
   */
  private SSLSocket tlsAfterTheWait(HttpServer server, Socket raw) throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> stale.pending() == 1);
    Thread.sleep(MAX_WAIT.multipliedBy(2).toMillis());
    return (SSLSocket)
        tls.clientContext()
            .getSocketFactory()
            .createSocket(raw, "localhost", server.actualPort(), true);
  }

  private double shed() {
    return registry.get("hotpatch.https.handshakes.shed").counter().count();
  }

  /** The class of the server's TLS session for one HTTPS request, with these settings. */
  private String sessionServing(Map<String, String> settings) throws Exception {
    return sessionClass(serve(settings), tls);
  }

  /** A started server set up as the operator's HTTPS port, that answers with its session class. */
  private HttpServer serve(Map<String, String> settings) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions().setSsl(true).setKeyCertOptions(keyCert(tls));
    new HttpsEngine(TestSettings.with(settings), stale).customizeHttpsServer(options);
    return vertx
        .createHttpServer(options)
        .requestHandler(
            request ->
                request.response().end(request.connection().sslSession().getClass().getName()))
        .listen(0, "localhost")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static PemKeyCertOptions keyCert(LocalTls tls) {
    return new PemKeyCertOptions()
        .setCertPath(tls.certChain().toString())
        .setKeyPath(tls.key().toString());
  }

  /** One request, trusting only {@code trusted}'s CA. */
  private static String sessionClass(HttpServer server, LocalTls trusted) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(trusted.clientContext())
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("https://localhost:" + server.actualPort() + "/"))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
