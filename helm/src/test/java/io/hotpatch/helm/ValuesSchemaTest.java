package io.hotpatch.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json refuses bad values before anything renders. */
class ValuesSchemaTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "replicas=-1                      | /replicas",
        "replicas=two                     | /replicas",
        "sidecar.mode=sidecar             | /sidecar/mode",
        "sidecar.startupWaitSeconds=301   | /sidecar/startupWaitSeconds",
        "image.pullPolicy=Sometimes       | /image/pullPolicy",
        "webhook.timeoutSeconds=60        | /webhook/timeoutSeconds",
        "tls.certManager.enabled=yes      | /tls/certManager/enabled",
        "tls.certManager.issuerRef.kind=X | /tls/certManager/issuerRef/kind",
        "runAsUser=0                      | /runAsUser",
        "webhook.excludedNamespaces[0]=No_Such | /webhook/excludedNamespaces/0",
        "replica=2                        | additional properties 'replica'",
      })
  void badValueIsRefused(String setting, String complaint) {
    Helm.Result result = Helm.template("--set", setting);

    assertThat(result.exitCode()).as("helm template --set %s should fail", setting).isNotZero();
    assertThat(result.stderr())
        .contains("values don't meet the specifications of the schema")
        .contains(complaint);
  }
}
