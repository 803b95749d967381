package io.hotpatch.operator.channel.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.operator.TestTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Plays a sidecar on the channel: HTTPS to the operator, trusting only the test CA. */
public final class SidecarClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI root;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final HttpClient http;

  /**
   * @param root the operator's base URI ({@code https://localhost:port/})
   */
  public SidecarClient(URI root) {
    this.root = root;
    // One client, HTTP/1.1 as the sidecar speaks it, a fixed executor: many requests, few threads.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(TestTls.clientContext())
            .connectTimeout(Duration.ofSeconds(60))
            .executor(executor)
            .build();
  }

  public HttpResponse<String> desired(
      String namespace, String pod, String token, String revision, int waitSeconds) {
    return desiredAsync(namespace, pod, token, revision, waitSeconds).join();
  }

  public CompletableFuture<HttpResponse<String>> desiredAsync(
      String namespace, String pod, String token, String revision, int waitSeconds) {
    String query =
        "?waitSeconds=" + waitSeconds + (revision == null ? "" : "&revision=" + revision);
    return http.sendAsync(
        request(namespace, pod, "desired" + query, token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<byte[]> bundle(String namespace, String pod, String token, String sha256) {
    return http.sendAsync(
            request(namespace, pod, "bundles/" + sha256, token).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray())
        .join();
  }

  public HttpResponse<String> report(String namespace, String pod, String token, PodReport report) {
    try {
      HttpRequest post =
          request(namespace, pod, "report", token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(report)))
              .build();
      return http.sendAsync(post, HttpResponse.BodyHandlers.ofString()).join();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DesiredState state(HttpResponse<String> response) {
    try {
      return JSON.readValue(response.body(), DesiredState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not a DesiredState: " + response.body(), e);
    }
  }

  private HttpRequest.Builder request(String namespace, String pod, String path, String token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(
                root.resolve("channel/v1/namespaces/" + namespace + "/pods/" + pod + "/" + path))
            .timeout(Duration.ofSeconds(90));
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
