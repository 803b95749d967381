package io.hotpatch.sidecar.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An SSLContext that trusts only the CA certificates of a PEM file (HOTPATCH_CA_FILE). */
final class TlsTrust {
  private TlsTrust() {}

  static SSLContext fromPem(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IOException(
            "HOTPATCH_CA_FILE "
                + caFile
                + " holds no certificate: mount the"
                + " operator's CA certificate (PEM) there");
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "HOTPATCH_CA_FILE "
              + caFile
              + " is not a PEM certificate file ("
              + e.getMessage()
              + "): mount the operator's CA certificate (PEM) there",
          e);
    }
  }
}
