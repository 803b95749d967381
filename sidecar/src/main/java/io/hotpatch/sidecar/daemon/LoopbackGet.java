package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.channel.HealthProbe;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Sends a health check's GET to the app on the pod's loopback address: no proxy, no redirect, no
 * body read, connect and answer each bounded by the check's timeout.
 */
final class LoopbackGet {
  static final String DEFAULT_HOST = "127.0.0.1";

  /** The HTTP status the app answered; any I/O failure (refused, timed out, cut) is thrown. */
  interface Sender {
    int status(String url, int timeoutMillis) throws IOException;
  }

  private final String host;
  private final Sender sender;

  LoopbackGet(String host, Sender sender) {
    this.host = host.contains(":") ? "[" + host + "]" : host;
    this.sender = sender;
  }

  /** The real sender, to HOTPATCH_HEALTH_HOST (a loopback address, default 127.0.0.1). */
  static LoopbackGet fromEnv(Map<String, String> env) throws SidecarConfig.Invalid {
    String value = env.getOrDefault("HOTPATCH_HEALTH_HOST", "").trim();
    String host = value.isEmpty() ? DEFAULT_HOST : value;
    boolean loopback;
    try {
      // An IP literal only: a name would need DNS, and the check must never leave the pod.
      loopback = host.matches("[0-9a-fA-F:.]+") && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new SidecarConfig.Invalid(
          "HOTPATCH_HEALTH_HOST="
              + value
              + " is not a loopback IP address: unset it"
              + " for 127.0.0.1, the pod's own loopback");
    }
    return new LoopbackGet(host, LoopbackGet::send);
  }

  String url(HealthProbe probe) {
    return "http://" + host + ":" + probe.getPort() + probe.getPath();
  }

  int status(HealthProbe probe) throws IOException {
    return sender.status(url(probe), probe.getTimeoutSeconds() * 1000);
  }

  static int send(String url, int timeoutMillis) throws IOException {
    HttpURLConnection connection;
    try {
      connection = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
    } catch (IllegalArgumentException e) {
      throw new IOException("not a URL the check can send (" + e.getMessage() + ")");
    }
    try {
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestProperty("Connection", "close");
      connection.setRequestProperty("User-Agent", "hotpatch-sidecar health check");
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }
}
