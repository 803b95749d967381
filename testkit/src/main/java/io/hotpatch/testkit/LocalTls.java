package io.hotpatch.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway CA and a server certificate for localhost/127.0.0.1 signed by it, written as PEM
 * files like the chart's TLS Secret (made with the JDK's keytool, valid for two days).
 *
 * @param caCert the CA a client trusts (a sidecar's HOTPATCH_CA_FILE)
 * @param certChain the server certificate followed by the CA ({@code tls.crt})
 * @param key the server's private key, PKCS#8 ({@code tls.key})
 */
public record LocalTls(Path caCert, Path certChain, Path key) {
  private static final String PASSWORD = "test-only";

  private static LocalTls shared;

  /** Makes a fresh CA and server certificate in {@code dir}, replacing any made there before. */
  public static LocalTls generate(Path dir) {
    try {
      Files.createDirectories(dir);
      for (String file : List.of("ca.p12", "server.p12", "server.csr", "server.crt", "ca.crt")) {
        Files.deleteIfExists(dir.resolve(file));
      }
      // Side by side: an RSA key takes keytool about a second to find.
      Keytool caKey = genKeyPair(dir, "ca", "CN=hotpatch test CA", "-ext", "bc:c");
      Keytool serverKey = genKeyPair(dir, "server", "CN=localhost");
      try {
        caKey.await();
        serverKey.await();
      } finally {
        serverKey.process().destroyForcibly(); // left running only when the CA's failed
      }
      keytool(dir, "-exportcert", "-alias", "ca", "-rfc", "-keystore", "ca.p12", "-file", "ca.crt");
      keytool(
          dir, "-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
      keytool(
          dir,
          "-gencert",
          "-alias",
          "ca",
          "-keystore",
          "ca.p12",
          "-infile",
          "server.csr",
          "-outfile",
          "server.crt",
          "-rfc",
          "-validity",
          "2",
          "-ext",
          "SAN=dns:localhost,ip:127.0.0.1",
          "-ext",
          "EKU=serverAuth");
      KeyStore server = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
        server.load(in, PASSWORD.toCharArray());
      }
      PrivateKey key = (PrivateKey) server.getKey("server", PASSWORD.toCharArray());
      LocalTls tls =
          new LocalTls(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
      Files.writeString(tls.key(), pem("PRIVATE KEY", key.getEncoded()));
      String leaf = Files.readString(dir.resolve("server.crt"));
      Files.writeString(tls.certChain(), leaf + Files.readString(tls.caCert()));
      ((X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(leaf.getBytes(StandardCharsets.US_ASCII))))
          .checkValidity();
      return tls;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot make a certificate with keytool in " + dir + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making a certificate", e);
    }
  }

  /**
   * One CA and server certificate for the whole JVM, made in a new directory under {@code parent}
   * at the first call: for callers that need a working pair, not a fresh one (keytool takes
   * seconds).
   */
  public static synchronized LocalTls shared(Path parent) {
    if (shared == null) {
      try {
        shared = generate(Files.createTempDirectory(Files.createDirectories(parent), "tls"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a directory under " + parent, e);
      }
    }
    return shared;
  }

  /** A client-side TLS context that trusts only this CA, as a sidecar does. */
  public SSLContext clientContext() {
    try (InputStream in = Files.newInputStream(caCert)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the CA " + caCert + ": " + e, e);
    }
  }

  /** A server-side TLS context that presents this certificate chain, for a test server. */
  public SSLContext serverContext() {
    try {
      String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----|\\s", "");
      Certificate[] chain;
      try (InputStream in = Files.newInputStream(certChain)) {
        chain =
            CertificateFactory.getInstance("X.509")
                .generateCertificates(in)
                .toArray(Certificate[]::new);
      }
      PrivateKey privateKey =
          KeyFactory.getInstance(chain[0].getPublicKey().getAlgorithm())
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", privateKey, PASSWORD.toCharArray(), chain);
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load " + certChain + " and " + key + ": " + e, e);
    }
  }

  /**
   * An RSA 2048 key pair {@code alias}, valid for two days, in its own key store {@code alias.p12}.
   */
  private static Keytool genKeyPair(Path dir, String alias, String dname, String... more)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                dname,
                "-keystore",
                alias + ".p12"));
    args.addAll(List.of(more));
    return Keytool.start(dir, args.toArray(String[]::new));
  }

  private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
    Keytool.start(dir, args).await();
  }

  /** A keytool run, started. */
  private record Keytool(Process process, String[] args) {
    static Keytool start(Path dir, String... args) throws IOException {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-J-XX:TieredStopAtLevel=1",
                  args[0],
                  "-storetype",
                  "PKCS12",
                  "-storepass",
                  PASSWORD,
                  "-noprompt"));
      command.addAll(List.of(args).subList(1, args.length));
      return new Keytool(
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start(),
          args);
    }

    /** Waits for it to end, and fails with its output unless it succeeded. */
    void await() throws IOException, InterruptedException {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new UncheckedIOException(
            new IOException("keytool " + String.join(" ", args) + " failed: " + output));
      }
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
