package io.hotpatch.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** helm lint --strict passes on the chart, with the default TLS and with cert-manager. */
class ChartLintTest {
  @ParameterizedTest
  @ValueSource(strings = {"tls.certManager.enabled=false", "tls.certManager.enabled=true"})
  void lintStrictPasses(String setting) {
    Helm.Result lint =
        Helm.run(
            "lint",
            "--strict",
            Helm.CHART.toString(),
            "--namespace",
            Helm.NAMESPACE,
            "--set",
            setting);

    assertThat(lint.exitCode())
        .as("helm lint --strict output:%n%s%s", lint.stdout(), lint.stderr())
        .isZero();
    assertThat(lint.stdout())
        .contains("1 chart(s) linted, 0 chart(s) failed")
        .doesNotContain("[WARNING]");
  }
}
