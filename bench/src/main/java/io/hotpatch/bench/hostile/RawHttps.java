package io.hotpatch.bench.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 over TLS written by hand, from a chosen loopback address (127.0.0.2, ...), so that an
 * attack can send what no well-behaved client sends and come from a source of its own.
 */
public final class RawHttps {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A response: the status code and the body as text. */
  public record Response(int status, String body) {}

  private final SSLSocketFactory factory;
  private final InetSocketAddress server;

  public RawHttps(SSLContext trust, URI server) {
    this.factory = trust.getSocketFactory();
    this.server = new InetSocketAddress(server.getHost(), server.getPort());
  }

  /** A TLS connection from {@code from}, its handshake done. */
  public SSLSocket connect(InetAddress from) throws IOException {
    SSLSocket socket = (SSLSocket) factory.createSocket();
    try {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(server, (int) TIMEOUT.toMillis());
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      socket.startHandshake();
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** One request on a connection of its own, which the request closes. */
  public Response send(
      InetAddress from, String method, String path, Map<String, String> headers, String body) {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder(
            method
                + " "
                + path
                + " HTTP/1.1\r\nHost: "
                + server.getHostString()
                + "\r\nConnection: close\r\nContent-Length: "
                + content.length
                + "\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    try (SSLSocket socket = connect(from)) {
      socket
          .getOutputStream()
          .write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(content);
      socket.getOutputStream().flush();
      String answer = readAll(socket.getInputStream());
      int lineEnd = answer.indexOf("\r\n");
      if (!answer.startsWith("HTTP/1.1 ") || lineEnd < 12) {
        throw new IllegalStateException("not an HTTP/1.1 answer from " + server + ": " + answer);
      }
      int bodyStart = answer.indexOf("\r\n\r\n");
      return new Response(
          Integer.parseInt(answer.substring(9, 12)),
          bodyStart < 0 ? "" : answer.substring(bodyStart + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(
          method + " " + path + " from " + from + " to " + server + " failed", e);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
