package io.hotpatch.bench.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP balancer in front of several backends, as a Service is: each new connection goes to the
 * next backend in turn, bytes pass through untouched (TLS ends at the backend); a backend that
 * refuses the connection is skipped, as a Service drops the endpoint of a dead pod.
 */
final class RoundRobinProxy implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 1_000;

  private final List<InetSocketAddress> backends;
  private final ServerSocket server;
  private final AtomicInteger next = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();

  private RoundRobinProxy(List<InetSocketAddress> backends, ServerSocket server) {
    this.backends = backends;
    this.server = server;
  }

  /** Listens on a free loopback port in front of the backends' {@code host:port}. */
  static RoundRobinProxy start(List<URI> backends) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    RoundRobinProxy proxy =
        new RoundRobinProxy(
            backends.stream()
                .map(uri -> new InetSocketAddress(uri.getHost(), uri.getPort()))
                .toList(),
            server);
    daemon("proxy-accept", proxy::acceptLoop);
    return proxy;
  }

  /** The balancer's address, with the scheme of the backends. */
  URI url() {
    return URI.create("https://127.0.0.1:" + server.getLocalPort());
  }

  /** How many client connections were passed to a backend. */
  int connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException closed) {
        return;
      }
      daemon("proxy-connect", () -> connect(client));
    }
  }

  private void connect(Socket client) {
    open.add(client);
    int first = Math.floorMod(next.getAndIncrement(), backends.size());
    for (int i = 0; i < backends.size(); i++) {
      Socket backend = new Socket();
      try {
        backend.connect(backends.get((first + i) % backends.size()), CONNECT_TIMEOUT_MILLIS);
      } catch (IOException refused) {
        closeQuietly(backend);
        continue;
      }
      open.add(backend);
      connections.incrementAndGet();
      daemon("proxy-up", () -> pump(client, backend));
      pump(backend, client);
      return;
    }
    closeQuietly(client);
  }

  /** Copies until either side ends, then closes both (a balancer does not half-close). */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException ended) {
      // either side went away: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    open.forEach(this::closeQuietly);
  }
}
