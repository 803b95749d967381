package io.hotpatch.operator.channel.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import org.jboss.logging.Logger;

/**
 * Which TLS handshakes on the HTTPS port came too late to be worth doing: a connection whose
 * ClientHello the operator reaches more than {@link #MAX_WAIT} after it accepted the connection
 * belongs to a client that gives up soon (a sidecar waits 10 s for its connection), so answering it
 * would spend a signature (with BoringSSL, a key exchange too) for nobody. When a whole fleet
 * reconnects at once (an operator restart), the queue of handshakes grows past that wait, and
 * without shedding the operator serves only clients that have left while the others time out, back
 * off and come back to the same queue. A shed client sees its handshake refused and retries within
 * 10 s. Only while more than {@link #BUSY} handshakes are pending: a lone client may be slow to
 * send its ClientHello (a sidecar on a busy node), and an idle operator answers it at once.
 */
@ApplicationScoped
public class StaleHandshakes {
  /** Half of a sidecar's connect timeout: the client still has time to finish its part. */
  static final Duration MAX_WAIT = Duration.ofSeconds(5);

  /**
   * Far more than a fleet's steady trickle of new connections; a reconnecting fleet has thousands.
   */
  static final int BUSY = 100;

  private static final Logger LOG = Logger.getLogger(StaleHandshakes.class);
  private static final long LOG_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

  private final long maxWaitNanos;
  private final int busy;
  private final Counter shed;

  /** Each pending handshake, by the client's address and port. */
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  private volatile long lastLogNanos;

  @Inject
  public StaleHandshakes(MeterRegistry registry) {
    this(registry, MAX_WAIT, BUSY);
  }

  StaleHandshakes(MeterRegistry registry, Duration maxWait, int busy) {
    this.maxWaitNanos = maxWait.toNanos();
    this.busy = busy;
    this.lastLogNanos = System.nanoTime() - LOG_EVERY_NANOS;
    this.shed =
        Counter.builder("hotpatch.https.handshakes.shed")
            .description(
                "TLS handshakes refused because their connection waited over "
                    + maxWait.toSeconds()
                    + " s for the operator, whose client has likely given up")
            .register(registry);
  }

  /** A connection was accepted and its handshake is pending: remembered until it ends. */
  void accepted(SslHandler handler) {
    String client = client(handler.engine());
    Pending handshake = new Pending(System.nanoTime());
    pending.put(client, handshake);
    handler.handshakeFuture().addListener(done -> pending.remove(client, handshake));
  }

  /**
   * Whether the handshake of {@code engine}, whose ClientHello the operator reads now, is to be
   * refused before its costly part.
   */
  boolean shed(SSLEngine engine) {
    Pending handshake = pending.get(client(engine));
    if (handshake == null) {
      return false;
    }
    if (handshake.shed) {
      // The engine asks once per kind of key it could sign with.
      return true;
    }
    long now = System.nanoTime();
    if (now - handshake.acceptedNanos <= maxWaitNanos || pending.size() <= busy) {
      return false;
    }
    handshake.shed = true;
    shed.increment();
    if (now - lastLogNanos >= LOG_EVERY_NANOS) {
      lastLogNanos = now;
      LOG.warnf(
          "HTTPS: refusing TLS handshakes that waited over %d s for this operator (%d so far, metric"
              + " hotpatch_https_handshakes_shed_total): more clients connect at once than it"
              + " serves, as after a restart of the operator in front of a large fleet; they"
              + " retry within 10 s",
          maxWaitNanos / 1_000_000_000, (long) shed.count());
    }
    return true;
  }

  /** How many handshakes are pending. */
  int pending() {
    return pending.size();
  }

  private static String client(SSLEngine engine) {
    return engine.getPeerHost() + ":" + engine.getPeerPort();
  }

  /** A handshake's accept time, and whether it was refused; read and written on its event loop. */
  private static final class Pending {
    final long acceptedNanos;
    boolean shed;

    Pending(long acceptedNanos) {
      this.acceptedNanos = acceptedNanos;
    }
  }
}
