package io.hotpatch.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The webhook's TLS: a chart-generated CA and certificate by default, cert-manager as an option.
 */
class TlsTest {
  private static final String SERVICE_DNS = "hp-hotpatch-operator.hotpatch-system.svc";

  @Test
  void generatedCertificateIsSignedByTheCaTheWebhookTrusts() throws Exception {
    Rendered rendered = Helm.render();
    JsonNode secret = rendered.one("Secret");
    JsonNode webhook = WebhookTest.onlyWebhook(rendered);

    assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
    assertThat(webhook.at("/clientConfig/caBundle").asText())
        .isEqualTo(secret.at("/data/ca.crt").asText());
    X509Certificate ca = certificate(secret.at("/data/ca.crt").asText());
    X509Certificate serving = certificate(secret.at("/data/tls.crt").asText());
    serving.verify(ca.getPublicKey());
    serving.checkValidity();
    assertThat(List.of(ca.getPublicKey(), serving.getPublicKey()))
        .as(
            "RSA 2048, as cert-manager's Certificate: a sidecar's first ECDSA P-256 check costs"
                + " its interpreter 1.8 s of CPU")
        .allSatisfy(
            key ->
                assertThat(key)
                    .isInstanceOfSatisfying(
                        RSAPublicKey.class,
                        rsa -> assertThat(rsa.getModulus().bitLength()).isEqualTo(2048)));
    assertThat(sans(serving)).contains(SERVICE_DNS, SERVICE_DNS + ".cluster.local");
    assertThat(secret.at("/data/tls.key").asText()).isNotBlank();
    assertThat(rendered.ofKind("Certificate")).isEmpty();
  }

  @Test
  void operatorMountsTheSecretTheCertificateIsIn() {
    for (Rendered rendered :
        List.of(Helm.render(), Helm.render("--set", "tls.certManager.enabled=true"))) {
      String secretName =
          rendered.ofKind("Secret").isEmpty()
              ? rendered.one("Certificate").at("/spec/secretName").asText()
              : rendered.one("Secret").at("/metadata/name").asText();
      JsonNode pod = rendered.one("Deployment").at("/spec/template/spec");

      JsonNode volume = pod.path("volumes").findParents("secret").get(0);
      assertThat(volume.at("/secret/secretName").asText()).isEqualTo(secretName);
      JsonNode mount =
          pod.at("/containers/0/volumeMounts").findParents("mountPath").stream()
              .filter(m -> m.path("name").asText().equals(volume.path("name").asText()))
              .findFirst()
              .orElseThrow();
      assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/hotpatch/tls");
      assertThat(mount.path("readOnly").asBoolean()).isTrue();
    }
  }

  @Test
  void certManagerIssuesTheCertificateAndInjectsTheCa() {
    Rendered rendered = Helm.render("--set", "tls.certManager.enabled=true");
    JsonNode certificate = rendered.one("Certificate");
    JsonNode issuer = rendered.one("Issuer");
    JsonNode configuration = rendered.one("MutatingWebhookConfiguration");

    assertThat(rendered.ofKind("Secret")).isEmpty();
    assertThat(WebhookTest.onlyWebhook(rendered).at("/clientConfig").has("caBundle")).isFalse();
    assertThat(configuration.at("/metadata/annotations/cert-manager.io~1inject-ca-from").asText())
        .isEqualTo(Helm.NAMESPACE + "/" + certificate.at("/metadata/name").asText());
    assertThat(Rendered.texts(certificate.at("/spec/dnsNames"))).contains(SERVICE_DNS);
    assertThat(certificate.at("/spec/privateKey/algorithm").asText()).isEqualTo("RSA");
    assertThat(certificate.at("/spec/privateKey/size").asInt()).isEqualTo(2048);
    assertThat(certificate.at("/spec/issuerRef/name").asText())
        .isEqualTo(issuer.at("/metadata/name").asText());
    assertThat(issuer.at("/spec/selfSigned").isObject()).isTrue();
  }

  @Test
  void certManagerCanUseAnExistingClusterIssuer() {
    Rendered rendered =
        Helm.render(
            "--set",
            "tls.certManager.enabled=true",
            "--set",
            "tls.certManager.issuerRef.name=corp-ca",
            "--set",
            "tls.certManager.issuerRef.kind=ClusterIssuer");

    assertThat(rendered.ofKind("Issuer")).isEmpty();
    assertThat(rendered.one("Certificate").at("/spec/issuerRef/name").asText())
        .isEqualTo("corp-ca");
    assertThat(rendered.one("Certificate").at("/spec/issuerRef/kind").asText())
        .isEqualTo("ClusterIssuer");
  }

  private static X509Certificate certificate(String base64Pem) throws Exception {
    byte[] pem = Base64.getDecoder().decode(base64Pem);
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }

  private static List<String> sans(X509Certificate certificate) throws Exception {
    List<String> names = new ArrayList<>();
    for (List<?> entry : certificate.getSubjectAlternativeNames()) {
      names.add(String.valueOf(entry.get(1)));
    }
    return names;
  }
}
