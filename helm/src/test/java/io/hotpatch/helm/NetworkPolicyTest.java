package io.hotpatch.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The optional NetworkPolicy: off by default; on, it admits the API server, injected sidecars and
 * the scrapers only.
 */
class NetworkPolicyTest {
  @Test
  void offByDefault() {
    assertThat(Helm.render().ofKind("NetworkPolicy")).isEmpty();
  }

  @Test
  void admitsTheApiServerAndInjectedSidecarsOnHttpsAndTheScrapersOnHttp() {
    Rendered rendered =
        Helm.render(
            "--set",
            "networkPolicy.enabled=true",
            "--set",
            "networkPolicy.apiServerCidrs={172.18.0.2/32,10.0.0.0/28}",
            "--set",
            "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name=monitoring");
    JsonNode policy = rendered.one("NetworkPolicy");
    JsonNode rules = policy.at("/spec/ingress");

    assertThat(policy.at("/spec/podSelector"))
        .isEqualTo(rendered.one("Deployment").at("/spec/selector"));
    assertThat(Rendered.texts(policy.at("/spec/policyTypes"))).containsExactly("Ingress");
    assertThat(rules).hasSize(3);
    assertThat(rules.get(0).at("/from").findValuesAsText("cidr"))
        .containsExactly("172.18.0.2/32", "10.0.0.0/28");
    assertThat(rules.get(0).at("/ports/0/port").asText()).isEqualTo("https");
    JsonNode sidecars = rules.get(1).at("/from/0");
    assertThat(sidecars.at("/namespaceSelector/matchLabels/hotpatch.io~1injection").asText())
        .isEqualTo("enabled");
    assertThat(sidecars.at("/podSelector/matchLabels/hotpatch.io~1inject").asText())
        .isEqualTo("true");
    assertThat(rules.get(1).at("/ports/0/port").asText()).isEqualTo("https");
    assertThat(rules.get(2).at("/from/0/namespaceSelector/matchLabels/name").asText())
        .isEqualTo("monitoring");
    assertThat(rules.get(2).at("/ports/0/port").asText()).isEqualTo("http");
  }

  @Test
  void withoutTheApiServerAddressesItIsRefusedInOneLine() {
    Helm.Result result = Helm.template("--set", "networkPolicy.enabled=true");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr())
        .contains(
            "networkPolicy.enabled=true needs networkPolicy.apiServerCidrs",
            "kubectl get endpoints kubernetes");
  }
}
