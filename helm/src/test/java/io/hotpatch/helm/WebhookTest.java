package io.hotpatch.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The injection webhook is opt-in, fails open and never reaches system namespaces or the operator's
 * own.
 */
class WebhookTest {
  @Test
  void failsOpenQuicklyAndOnlyOnPodCreation() {
    JsonNode webhook = onlyWebhook(Helm.render());

    assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Ignore");
    assertThat(webhook.path("sideEffects").asText()).isEqualTo("NoneOnDryRun");
    assertThat(webhook.path("timeoutSeconds").asInt()).isBetween(1, 10);
    assertThat(Rendered.texts(webhook.path("admissionReviewVersions"))).containsExactly("v1");
    JsonNode rules = webhook.path("rules");
    assertThat(rules).hasSize(1);
    assertThat(Rendered.texts(rules.get(0).path("operations"))).containsExactly("CREATE");
    assertThat(Rendered.texts(rules.get(0).path("apiGroups"))).containsExactly("");
    assertThat(Rendered.texts(rules.get(0).path("resources"))).containsExactly("pods");
  }

  @Test
  void namespaceMustOptInAndSystemAndReleaseNamespacesAreExcluded() {
    JsonNode selector =
        onlyWebhook(Helm.render("--set", "webhook.excludedNamespaces={monitoring}"))
            .path("namespaceSelector");

    assertThat(selector.has("matchLabels")).isFalse();
    assertThat(expression(selector, "hotpatch.io/injection", "In")).containsExactly("enabled");
    assertThat(expression(selector, "kubernetes.io/metadata.name", "NotIn"))
        .containsExactlyInAnyOrder(
            "kube-system", "kube-public", "kube-node-lease", Helm.NAMESPACE, "monitoring");
  }

  @Test
  void releaseNamespaceIsExcludedWhereverTheChartIsInstalled() {
    Helm.Result result =
        Helm.run(
            "template",
            "other",
            Helm.CHART.toString(),
            "--namespace",
            "platform-tools",
            "--show-only",
            "templates/webhook/mutatingwebhookconfiguration.yaml");
    assertThat(result.exitCode()).as(result.stderr()).isZero();

    JsonNode selector = onlyWebhook(Rendered.parse(result.stdout())).path("namespaceSelector");
    assertThat(expression(selector, "kubernetes.io/metadata.name", "NotIn"))
        .contains("platform-tools");
  }

  @Test
  void podMustOptInWithItsLabel() {
    JsonNode selector = onlyWebhook(Helm.render()).path("objectSelector");

    assertThat(selector.at("/matchLabels/hotpatch.io~1inject").asText()).isEqualTo("true");
    assertThat(selector.path("matchLabels")).hasSize(1);
  }

  @Test
  void callsTheOperatorServiceOnItsHttpsPort() {
    Rendered rendered = Helm.render();
    JsonNode service = rendered.one("Service");
    JsonNode target = onlyWebhook(rendered).at("/clientConfig/service");

    assertThat(target.path("name").asText()).isEqualTo(service.at("/metadata/name").asText());
    assertThat(target.path("namespace").asText()).isEqualTo(Helm.NAMESPACE);
    assertThat(target.path("path").asText()).isEqualTo("/mutate-pods");
    JsonNode port = null;
    for (JsonNode p : service.at("/spec/ports")) {
      if (p.path("port").asInt() == target.path("port").asInt()) {
        port = p;
      }
    }
    assertThat(port).as("Service port %s", target.path("port")).isNotNull();
    assertThat(port.path("targetPort").asText()).isEqualTo("https");
    JsonNode containerPorts =
        rendered.one("Deployment").at("/spec/template/spec/containers/0/ports");
    assertThat(
            containerPorts.findParents("name").stream()
                .filter(p -> p.path("name").asText().equals("https"))
                .map(p -> p.path("containerPort").asInt()))
        .containsExactly(8443);
  }

  static JsonNode onlyWebhook(Rendered rendered) {
    JsonNode webhooks = rendered.one("MutatingWebhookConfiguration").path("webhooks");
    assertThat(webhooks).hasSize(1);
    return webhooks.get(0);
  }

  private static List<String> expression(JsonNode selector, String key, String operator) {
    for (JsonNode expression : selector.path("matchExpressions")) {
      if (expression.path("key").asText().equals(key)
          && expression.path("operator").asText().equals(operator)) {
        return Rendered.texts(expression.path("values"));
      }
    }
    throw new AssertionError("no matchExpression " + key + " " + operator + " in " + selector);
  }
}
