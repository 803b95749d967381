package io.hotpatch.operator.config;

/** Which TLS implementation serves the operator's HTTPS port (hotpatch.operator.tls-engine). */
public enum TlsEngine {
  /** BoringSSL from netty-tcnative when it loads on this platform, else the JDK's. */
  OpenSsl,
  /** The JDK's own TLS (JSSE), for example where policy allows only the JDK's providers. */
  Jdk
}
