package io.hotpatch.operator;

import io.hotpatch.testkit.LocalTls;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;

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
    return new LocalTls(caFile(), DIR.resolve("tls.crt"), DIR.resolve("tls.key")).clientContext();
  }

  @Override
  public synchronized Map<String, String> start() {
    if (tls == null) { // once per test JVM, not at each Quarkus restart
      tls = LocalTls.generate(DIR);
    }
    return Map.of(
        "quarkus.tls.serving.key-store.pem.0.cert",
        tls.certChain().toString(),
        "quarkus.tls.serving.key-store.pem.0.key",
        tls.key().toString(),
        // As the chart mounts the TLS secret: its ca.crt is what ephemeral containers trust.
        "hotpatch.webhook.ca-file",
        caFile().toString());
  }

  @Override
  public void stop() {}
}
