package io.hotpatch.operator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The operator's HTTPS certificate in tests: a fresh test CA and a server certificate for
 * localhost/127.0.0.1 signed by it, as PEM files like the chart's TLS Secret (made with keytool).
 */
@WithTestResource(value = TestTls.class, scope = TestResourceScope.GLOBAL)
public class TestTls implements QuarkusTestResourceLifecycleManager {
  private static final Path DIR = Path.of("target", "test-tls").toAbsolutePath();
  private static final String PASSWORD = "test-only";
  private static boolean generated;

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
    try {
      if (!generated) { // once per test JVM, not at each Quarkus restart
        generate();
        generated = true;
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the test certificate with keytool: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return Map.of("quarkus.tls.key-store.pem.0.cert", DIR.resolve("tls.crt").toString(),
        "quarkus.tls.key-store.pem.0.key", DIR.resolve("tls.key").toString());
  }

  @Override
  public void stop() {}

  private static void generate() throws IOException, GeneralSecurityException, InterruptedException {
    Files.createDirectories(DIR);
    for (String file : List.of("ca.p12", "server.p12", "server.csr", "server.crt", "ca.crt")) {
      Files.deleteIfExists(DIR.resolve(file));
    }
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=hotpatch test CA", "-ext", "bc:c", "-keystore", "ca.p12");
    keytool("-exportcert", "-alias", "ca", "-rfc", "-keystore", "ca.p12", "-file", "ca.crt");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=localhost", "-keystore", "server.p12");
    keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
    keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr", "-outfile", "server.crt",
        "-rfc", "-validity", "2", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "EKU=serverAuth");
    KeyStore server = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(DIR.resolve("server.p12"))) {
      server.load(in, PASSWORD.toCharArray());
    }
    PrivateKey key = (PrivateKey) server.getKey("server", PASSWORD.toCharArray());
    Files.writeString(DIR.resolve("tls.key"), pem("PRIVATE KEY", key.getEncoded()));
    List<String> chain = new ArrayList<>();
    chain.add(Files.readString(DIR.resolve("server.crt")));
    chain.add(Files.readString(caFile()));
    Files.writeString(DIR.resolve("tls.crt"), String.join("", chain));
    X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(chain.get(0).getBytes(StandardCharsets.US_ASCII)));
    leaf.checkValidity();
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-J-XX:TieredStopAtLevel=1", args[0], "-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    command.addAll(List.of(args).subList(1, args.length));
    Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new UncheckedIOException(new IOException("keytool " + String.join(" ", args) + " failed: " + output));
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
