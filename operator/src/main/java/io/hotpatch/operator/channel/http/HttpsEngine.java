package io.hotpatch.operator.channel.http;

import io.hotpatch.operator.config.OperatorSettings;
import io.hotpatch.operator.config.TlsEngine;
import io.netty.handler.ssl.OpenSsl;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Puts BoringSSL (netty-tcnative) under the HTTPS port unless hotpatch.operator.tls-engine says
 * Jdk: every sidecar's connection begins with a handshake, and a fleet reconnecting after an
 * operator restart pays them all at once. Either engine sheds {@link StaleHandshakes}.
 */
@ApplicationScoped
public class HttpsEngine implements HttpServerOptionsCustomizer {
  private static final Logger LOG = Logger.getLogger(HttpsEngine.class);

  private final OperatorSettings settings;
  private final StaleHandshakes stale;

  public HttpsEngine(OperatorSettings settings, StaleHandshakes stale) {
    this.settings = settings;
    this.stale = stale;
  }

  @Override
  public void customizeHttpsServer(HttpServerOptions options) {
    options.setSslEngineOptions(new SheddingEngineOptions(engine(), stale));
  }

  private SSLEngineOptions engine() {
    if (settings.operator().tlsEngine() == TlsEngine.Jdk) {
      LOG.info("HTTPS: the JDK's TLS (hotpatch.operator.tls-engine=Jdk)");
      return new JdkSSLEngineOptions();
    }
    if (!OpenSsl.isAvailable()) {
      LOG.warnf(
          "HTTPS: BoringSSL did not load (%s), so the JDK's TLS serves it, at several times the CPU"
              + " per handshake: give the operator a writable, executable /tmp (netty-tcnative unpacks"
              + " its library there), or set hotpatch.operator.tls-engine=Jdk to silence this",
          OpenSsl.unavailabilityCause());
      return new JdkSSLEngineOptions();
    }
    LOG.infof("HTTPS: BoringSSL (%s)", OpenSsl.versionString());
    return new OpenSSLEngineOptions();
  }
}
