package io.hotpatch.sidecar.it;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.testkit.LocalTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fake operator speaking the sidecar channel of CHANNEL.md for one pod over HTTPS, with a test CA
 * made by keytool: holds long polls, serves only desired bundles, checks the bearer token (401) and
 * the pod in the path (403) and records every report.
 */
final class TestingChannelServer implements AutoCloseable {
  static final String NAMESPACE = "shop";
  static final String POD = "checkout-0";
  static final String TOKEN = "token-of-" + POD;

  private final HttpsServer server;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "testing-channel");
            thread.setDaemon(true);
            return thread;
          });
  private final Path caFile;
  private final Map<String, byte[]> bundles = new ConcurrentHashMap<>();
  private final List<PodReport> reports = new CopyOnWriteArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean down;
  private DesiredState desired = new DesiredState("0", List.of());
  private int revision;

  private TestingChannelServer(HttpsServer server, Path caFile) {
    this.server = server;
    this.caFile = caFile;
  }

  /** Starts on 127.0.0.1 with the test CA's server certificate (SAN IP 127.0.0.1). */
  static TestingChannelServer start(Path dir) throws Exception {
    LocalTls tls = LocalTls.shared(dir);
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    TestingChannelServer channel = new TestingChannelServer(https, tls.caCert());
    https.createContext("/channel/v1/", channel::handle);
    https.setExecutor(channel.threads);
    https.start();
    return channel;
  }

  URI url() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  Path caFile() {
    return caFile;
  }

  /** Publishes a new desired state (new revision) and wakes the held long polls. */
  synchronized void publish(PatchOrder... orders) {
    desired = new DesiredState(Integer.toString(++revision), List.of(orders));
    notifyAll();
  }

  /**
   * Makes GET bundles/{sha256} answer these bytes while the sha is desired (may be tampered ones).
   */
  void serveBundle(String sha256, byte[] bytes) {
    bundles.put(sha256, bytes);
  }

  List<PodReport> reports() {
    return new ArrayList<>(reports);
  }

  /**
   * While down, every request is answered 503 with Retry-After: 1, as an operator that does not
   * serve the channel.
   */
  void down(boolean down) {
    this.down = down;
  }

  /** One line per request received: method and path. */
  List<String> requests() {
    return new ArrayList<>(requests);
  }

  /** One line per refused request: status, reason. */
  List<String> refusals() {
    return new ArrayList<>(refusals);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String prefix = "/channel/v1/namespaces/" + NAMESPACE + "/pods/" + POD + "/";
      String path = exchange.getRequestURI().getPath();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null || !authorization.equals("Bearer " + TOKEN)) {
        refuse(
            exchange,
            401,
            "token rejected by TokenReview: mount the projected token with audience hotpatch-operator");
        return;
      }
      if (!path.startsWith(prefix)) {
        refuse(exchange, 403, "token of pod " + NAMESPACE + "/" + POD + " may not read " + path);
        return;
      }
      requests.add(exchange.getRequestMethod() + " " + path);
      if (down) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        refuse(exchange, 503, "the operator is down: start it");
        return;
      }
      String rest = path.substring(prefix.length());
      if (rest.equals("desired") && exchange.getRequestMethod().equals("GET")) {
        send(
            exchange,
            200,
            "application/json",
            JSON.std.asBytes(awaitDesired(exchange.getRequestURI().getQuery())));
      } else if (rest.startsWith("bundles/") && exchange.getRequestMethod().equals("GET")) {
        String sha = rest.substring("bundles/".length());
        byte[] bytes = bundles.get(sha);
        boolean isDesired =
            currentDesired().getPatches().stream().anyMatch(order -> order.getSha256().equals(sha));
        if (bytes == null || !isDesired) {
          send(
              exchange,
              404,
              "application/json",
              error("bundle " + sha + " is not desired for this pod"));
        } else {
          send(exchange, 200, "application/java-archive", bytes);
        }
      } else if (rest.equals("report") && exchange.getRequestMethod().equals("POST")) {
        reports.add(JSON.std.beanFrom(PodReport.class, exchange.getRequestBody().readAllBytes()));
        exchange.sendResponseHeaders(204, -1);
      } else {
        send(exchange, 404, "application/json", error("no such endpoint " + path));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized DesiredState currentDesired() {
    return desired;
  }

  private synchronized DesiredState awaitDesired(String query) throws InterruptedException {
    String seen = null;
    int waitSeconds = 30;
    for (String pair : query == null ? new String[0] : query.split("&")) {
      if (pair.startsWith("revision=")) {
        seen = pair.substring("revision=".length());
      } else if (pair.startsWith("waitSeconds=")) {
        waitSeconds = Integer.parseInt(pair.substring("waitSeconds=".length()));
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
    while (seen != null && seen.equals(desired.getRevision()) && System.nanoTime() < deadline) {
      TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
    }
    return desired;
  }

  private void refuse(HttpExchange exchange, int status, String reason) throws IOException {
    refusals.add(status + " " + reason);
    send(exchange, status, "application/json", error(reason));
  }

  private static byte[] error(String message) throws IOException {
    return JSON.std.asBytes(Map.of("error", message));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }
}
