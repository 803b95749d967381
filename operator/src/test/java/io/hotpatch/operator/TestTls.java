package io.hotpatch.operator;

import io.hotpatch.sample.LocalTls;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The operator's HTTPS certificate in tests: a fresh test CA and a server certificate for
 * localhost/127.0.0.1 signed by it, as PEM files like the chart's TLS Secret.
 */
@WithTestResource(value = TestTls.class, scope = TestResourceScope.GLOBAL)
public class TestTls implements QuarkusTestResourceLifecycleManager {
  private static final Path DIR = Path.of("target", "test-tls").toAbsolutePath();
  private static LocalTls tls;

  /** The CA file a sidecar trusts (HOTPATCH_CA_FILE). */
  public static Path caFile() {
    return DIR.resolve("ca.crt");
  }

  /** A client context that trusts only the test CA. */
  public static SSLContext clientContext() {
    try (InputStream in = Files.newInputStream(caFile())) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the test CA " + caFile() + ": " + e, e);
    }
  }

  @Override
  public synchronized Map<String, String> start() {
    if (tls == null) { // once per test JVM, not at each Quarkus restart
      tls = LocalTls.generate(DIR);
    }
    return Map.of("quarkus.tls.key-store.pem.0.cert", tls.certChain().toString(),
        "quarkus.tls.key-store.pem.0.key", tls.key().toString());
  }

  @Override
  public void stop() {}
}
