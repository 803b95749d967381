package io.hotpatch.operator.channel.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Builds a TLS engine's server contexts so that they shed {@link StaleHandshakes}: each new
 * connection's handshake is timed from its accept, and the key manager offers no certificate to one
 * that waited too long.
 */
final class SheddingContextFactory implements SslContextFactory {
  private final SslContextFactory engine;
  private final StaleHandshakes stale;

  SheddingContextFactory(SslContextFactory engine, StaleHandshakes stale) {
    this.engine = engine;
    this.stale = stale;
  }

  @Override
  public SslContextFactory keyMananagerFactory(KeyManagerFactory factory) {
    engine.keyMananagerFactory(factory == null ? null : shedding(factory));
    return this;
  }

  @Override
  public SslContext create() throws SSLException {
    SslContext context = engine.create();
    if (context.isClient()) {
      return context;
    }
    return new DelegatingSslContext(context) {
      @Override
      protected void initEngine(SSLEngine engine) {}

      @Override
      protected void initHandler(SslHandler handler) {
        stale.accepted(handler);
      }
    };
  }

  /**
   * The key manager, shedding; for BoringSSL also caching its key material by alias, which it
   * otherwise encodes and parses again for every handshake (an RSA key costs that most).
   */
  private KeyManagerFactory shedding(KeyManagerFactory factory) {
    return Arrays.stream(factory.getKeyManagers())
        .filter(X509ExtendedKeyManager.class::isInstance)
        .findFirst()
        .<KeyManagerFactory>map(
            keyManager ->
                new OpenSslCachingX509KeyManagerFactory(
                    new KeyManagerFactoryWrapper(
                        new StaleHandshakeKeyManager((X509ExtendedKeyManager) keyManager, stale))))
        .orElse(factory);
  }

  @Override
  public SslContextFactory useAlpn(boolean useAlpn) {
    engine.useAlpn(useAlpn);
    return this;
  }

  @Override
  public SslContextFactory clientAuth(ClientAuth clientAuth) {
    engine.clientAuth(clientAuth);
    return this;
  }

  @Override
  public SslContextFactory forClient(boolean forClient) {
    engine.forClient(forClient);
    return this;
  }

  @Override
  public SslContextFactory trustManagerFactory(TrustManagerFactory factory) {
    engine.trustManagerFactory(factory);
    return this;
  }

  @Override
  public SslContextFactory enabledCipherSuites(Set<String> cipherSuites) {
    engine.enabledCipherSuites(cipherSuites);
    return this;
  }

  @Override
  public SslContextFactory applicationProtocols(List<String> protocols) {
    engine.applicationProtocols(protocols);
    return this;
  }

  @Override
  public SslContextFactory serverName(String serverName) {
    engine.serverName(serverName);
    return this;
  }
}
