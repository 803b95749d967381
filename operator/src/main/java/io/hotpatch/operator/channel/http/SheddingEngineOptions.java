package io.hotpatch.operator.channel.http;

import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;

/**
 * A TLS engine (BoringSSL or the JDK's) for the HTTPS port whose server contexts shed {@link
 * StaleHandshakes}; Vert.x copies engine options, so the copy sheds too.
 */
final class SheddingEngineOptions extends SSLEngineOptions {
  private final SSLEngineOptions engine;
  private final StaleHandshakes stale;

  SheddingEngineOptions(SSLEngineOptions engine, StaleHandshakes stale) {
    this.engine = engine;
    this.stale = stale;
  }

  @Override
  public SSLEngineOptions copy() {
    return new SheddingEngineOptions(engine.copy(), stale);
  }

  @Override
  public SslContextFactory sslContextFactory() {
    return new SheddingContextFactory(engine.sslContextFactory(), stale);
  }
}
