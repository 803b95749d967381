package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.TestSettings;
import io.hotpatch.testkit.LocalTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Vert.x HTTPS server, set up as the operator's, names the TLS session that served it. */
class HttpsEngineTest {
  @TempDir Path dir;
  private LocalTls tls;
  private Vertx vertx;

  @BeforeEach
  void start() {
    tls = LocalTls.generate(dir);
    vertx = Vertx.vertx();
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

  /** The class of the server's TLS session for one HTTPS request, with these settings. */
  private String sessionServing(Map<String, String> settings) throws Exception {
    return sessionClass(serve(settings), tls);
  }

  /** A started server set up as the operator's HTTPS port, that answers with its session class. */
  private HttpServer serve(Map<String, String> settings) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions().setSsl(true).setKeyCertOptions(keyCert(tls));
    new HttpsEngine(TestSettings.with(settings)).customizeHttpsServer(options);
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
