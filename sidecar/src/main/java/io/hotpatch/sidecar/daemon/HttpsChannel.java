package io.hotpatch.sidecar.daemon;

import com.fasterxml.jackson.jr.ob.JSON;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PodReport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The channel over HTTPS: trusts only HOTPATCH_CA_FILE (reloaded when the file changes), sends the
 * projected token read afresh for every request (kubelet rotates it), speaks JSON with jackson-jr.
 */
final class HttpsChannel implements Channel {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Time a held long poll may take beyond its waitSeconds before we give up on it. */
  private static final Duration POLL_SLACK = Duration.ofSeconds(15);

  private static final int MAX_ERROR_CHARS = 300;

  /** The longest Retry-After we obey: a server cannot park a sidecar for longer. */
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private final URI podChannel;
  private final Supplier<Path> tokenFile;
  private final String tokenFix;
  private final Path caFile;
  private HttpClient client;
  private FileTime caModified;

  HttpsChannel(URI podChannel, Path tokenFile, Path caFile) throws IOException {
    this(
        podChannel,
        () -> tokenFile,
        "mount the projected service account token (audience hotpatch-operator) there",
        caFile);
  }

  /**
   * A channel on the embedder's client ({@link EmbeddedSidecar}), which trusts the embedder's CA:
   * not reloaded from a file.
   */
  HttpsChannel(URI podChannel, Path tokenFile, HttpClient shared) {
    this.podChannel = podChannel;
    this.tokenFile = () -> tokenFile;
    this.tokenFix = "write the pod's token there";
    this.caFile = null;
    this.client = shared;
  }

  /**
   * @param tokenFile where the token is now (an ephemeral container reads the app container's)
   * @param tokenFix what to do when it is missing or empty
   */
  HttpsChannel(URI podChannel, Supplier<Path> tokenFile, String tokenFix, Path caFile)
      throws IOException {
    this.podChannel = podChannel;
    this.tokenFile = tokenFile;
    this.tokenFix = tokenFix;
    this.caFile = caFile;
    this.caModified = Files.getLastModifiedTime(caFile);
    this.client = newClient();
  }

  @Override
  public CompletableFuture<DesiredState> desired(String revisionOrNull, int waitSeconds) {
    String query =
        revisionOrNull == null
            ? ""
            : "?revision="
                + URLEncoder.encode(revisionOrNull, StandardCharsets.UTF_8)
                + "&waitSeconds="
                + waitSeconds;
    HttpRequest request;
    try {
      request =
          request("desired" + query, REQUEST_TIMEOUT.plusSeconds(waitSeconds).plus(POLL_SLACK))
              .header("Accept", "application/json")
              .GET()
              .build();
    } catch (ChannelException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client()
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              try {
                if (failure != null) {
                  throw transportFailure("GET desired", unwrap(failure));
                }
                return JSON.std.beanFrom(DesiredState.class, expect(response, 200, "GET desired"));
              } catch (ChannelException e) {
                throw new CompletionException(e);
              } catch (IOException e) {
                throw new CompletionException(
                    new ChannelException(
                        "GET desired answered JSON this"
                            + " sidecar cannot read ("
                            + e.getMessage()
                            + "): run matching operator and sidecar"
                            + " versions"));
              }
            });
  }

  @Override
  public byte[] bundle(String sha256) throws ChannelException {
    HttpRequest request =
        request("bundles/" + sha256, REQUEST_TIMEOUT)
            .header("Accept", "application/java-archive")
            .GET()
            .build();
    return expect(send(request, "GET bundle " + sha256), 200, "GET bundle " + sha256);
  }

  @Override
  public void report(PodReport report) throws ChannelException {
    byte[] body;
    try {
      body = JSON.std.asBytes(report);
    } catch (IOException e) {
      throw new ChannelException("cannot write the report as JSON (" + e.getMessage() + ")");
    }
    HttpRequest request =
        request("report", REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    expect(send(request, "POST report"), 204, "POST report");
  }

  private HttpResponse<byte[]> send(HttpRequest request, String what) throws ChannelException {
    try {
      return client().send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw transportFailure(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChannelException(what + " interrupted");
    }
  }

  private HttpRequest.Builder request(String path, Duration timeout) throws ChannelException {
    return HttpRequest.newBuilder(podChannel.resolve(path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token());
  }

  private String token() throws ChannelException {
    Path file = tokenFile.get();
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!token.isEmpty()) {
        return token;
      }
    } catch (IOException e) {
      // reported below, as for an empty file
    }
    throw new ChannelException("HOTPATCH_TOKEN_FILE " + file + " is missing or empty: " + tokenFix);
  }

  /** The client, rebuilt when the CA file changed since it was built (a rotated CA). */
  private synchronized HttpClient client() {
    if (caFile == null) {
      return client;
    }
    try {
      FileTime modified = Files.getLastModifiedTime(caFile);
      if (!modified.equals(caModified)) {
        client = newClient();
        caModified = modified;
      }
    } catch (IOException keepTheLastGoodOne) {
      // a CA file being replaced, or a bad new one: keep trusting the last one that worked
    }
    return client;
  }

  private HttpClient newClient() throws IOException {
    return builder(caFile).build();
  }

  /**
   * A client that speaks the channel's HTTP and trusts only the CA certificates in {@code caFile}.
   */
  static HttpClient.Builder builder(Path caFile) throws IOException {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .sslContext(TlsTrust.fromPem(caFile));
  }

  private static byte[] expect(HttpResponse<byte[]> response, int status, String what)
      throws ChannelException {
    if (response.statusCode() == status) {
      return response.body();
    }
    String reason = serverMessage(response.body());
    throw new ChannelException(
        response.statusCode(),
        reason,
        what + " answered HTTP " + response.statusCode() + ": " + reason,
        retryAfter(response));
  }

  /**
   * The Retry-After in seconds (the only form the operator sends), bounded; zero when absent or
   * unreadable.
   */
  static Duration retryAfter(HttpResponse<?> response) {
    try {
      long seconds =
          Long.parseLong(response.headers().firstValue("Retry-After").orElse("0").strip());
      return seconds <= 0
          ? Duration.ZERO
          : Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()));
    } catch (NumberFormatException anHttpDate) {
      return Duration.ZERO;
    }
  }

  /** The {"error": ...} line of the server, or the start of whatever it sent. */
  private static String serverMessage(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    try {
      Map<String, Object> json = JSON.std.mapFrom(text);
      if (json.get("error") != null) {
        text = json.get("error").toString();
      }
    } catch (IOException | RuntimeException notJson) {
      // keep the raw text
    }
    text = text.replaceAll("\\s+", " ");
    if (text.isEmpty()) {
      return "(no message)";
    }
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "...";
  }

  private ChannelException transportFailure(String what, Throwable e) {
    // Only a refused certificate is a trust problem; a handshake cut short is an operator going
    // away.
    if (causedBy(e, CertificateException.class)) {
      return new ChannelException(
          0,
          "TLS " + e.getMessage(),
          what
              + " failed TLS ("
              + e.getMessage()
              + "): check that the operator's certificate is issued by the CA in"
              + " HOTPATCH_CA_FILE "
              + caFile
              + " for the host of HOTPATCH_CHANNEL_URL");
    }
    if (e instanceof ChannelException channel) {
      return channel;
    }
    String message =
        what
            + " to "
            + podChannel.getAuthority()
            + " failed ("
            + e
            + "): check that the operator runs and HOTPATCH_CHANNEL_URL points at it";
    return causedBy(e, HttpTimeoutException.class)
        ? ChannelException.timedOut(e.toString(), message)
        : new ChannelException(0, e.toString(), message);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable e = failure;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
