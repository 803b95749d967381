package io.hotpatch.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's RBAC is least privilege: no wildcards, nothing beyond what it uses, every rule
 * explained.
 */
class RbacTest {
  /** What the operator needs cluster-wide, as "apiGroup/resource[resourceNames]" -> verbs. */
  private static final Map<String, String> EXPECTED_CLUSTER_RULES =
      Map.ofEntries(
          Map.entry("hotpatch.io/hotpatches", "[get, list, patch, watch]"),
          Map.entry("hotpatch.io/hotpatches/status", "[patch]"),
          Map.entry(
              "apiextensions.k8s.io/customresourcedefinitions[hotpatches.hotpatch.io]", "[get]"),
          Map.entry("/pods", "[get, list, watch]"),
          Map.entry("/pods/ephemeralcontainers", "[patch]"),
          Map.entry("/configmaps", "[get]"),
          Map.entry("/events", "[create, get, patch]"),
          Map.entry("apps/deployments", "[get, patch]"),
          Map.entry("apps/statefulsets", "[get, patch]"),
          Map.entry("apps/daemonsets", "[get, patch]"),
          Map.entry("apps/replicasets", "[get]"),
          Map.entry("authentication.k8s.io/tokenreviews", "[create]"));

  /** What the operator needs in its own namespace: its leader-election Lease. */
  private static final Map<String, String> EXPECTED_LEASE_RULES =
      Map.of(
          "coordination.k8s.io/leases", "[create]",
          "coordination.k8s.io/leases[hotpatch-operator-leader]", "[get, update]");

  static Stream<List<String>> valueCombinations() {
    return Stream.of(
        List.of(),
        List.of("--set", "tls.certManager.enabled=true"),
        List.of("--set", "serviceAccount.create=false", "--set", "serviceAccount.name=existing"));
  }

  @ParameterizedTest
  @MethodSource("valueCombinations")
  void noRuleHasAWildcard(List<String> values) {
    for (JsonNode rule : rules(Helm.render(values.toArray(String[]::new)), "ClusterRole", "Role")) {
      for (String field :
          List.of("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")) {
        rule.path(field)
            .forEach(
                value ->
                    assertThat(value.asText())
                        .as("%s in rule %s", field, rule)
                        .doesNotContain("*"));
      }
    }
  }

  @Test
  void clusterRoleGrantsExactlyWhatTheOperatorUses() {
    assertThat(grants(Helm.render().one("ClusterRole")))
        .isEqualTo(new TreeMap<>(EXPECTED_CLUSTER_RULES));
  }

  @Test
  void roleGrantsOnlyTheLeaseInTheReleaseNamespace() {
    JsonNode role = Helm.render().one("Role");

    assertThat(role.at("/metadata/namespace").asText()).isEqualTo(Helm.NAMESPACE);
    assertThat(grants(role)).isEqualTo(new TreeMap<>(EXPECTED_LEASE_RULES));
  }

  @Test
  void everyRuleSaysWhyItIsNeeded() {
    Rendered rendered = Helm.render();
    for (String template : List.of("rbac/clusterrole.yaml", "rbac/leader-election-role.yaml")) {
      String[] lines = rendered.source(template).split("\n");
      int rules = 0;
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].trim().startsWith("- apiGroups:")) {
          rules++;
          assertThat(lines[i - 1].trim())
              .as("comment above rule '%s' in %s", lines[i].trim(), template)
              .startsWith("# ")
              .hasSizeGreaterThan(20);
        }
      }
      assertThat(rules).as("rules in %s", template).isPositive();
    }
  }

  @ParameterizedTest
  @MethodSource("valueCombinations")
  void bindingsGrantTheRolesToTheOperatorServiceAccountOnly(List<String> values) {
    Rendered rendered = Helm.render(values.toArray(String[]::new));
    String serviceAccount =
        rendered.one("Deployment").at("/spec/template/spec/serviceAccountName").asText();

    assertThat(rendered.one("ClusterRoleBinding").at("/roleRef/name").asText())
        .isEqualTo(rendered.one("ClusterRole").at("/metadata/name").asText());
    assertThat(rendered.one("RoleBinding").at("/roleRef/name").asText())
        .isEqualTo(rendered.one("Role").at("/metadata/name").asText());
    assertThat(rendered.one("RoleBinding").at("/metadata/namespace").asText())
        .isEqualTo(Helm.NAMESPACE);
    for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
      JsonNode subjects = rendered.one(kind).path("subjects");
      assertThat(subjects).hasSize(1);
      assertThat(subjects.get(0).path("kind").asText()).isEqualTo("ServiceAccount");
      assertThat(subjects.get(0).path("name").asText()).isEqualTo(serviceAccount);
      assertThat(subjects.get(0).path("namespace").asText()).isEqualTo(Helm.NAMESPACE);
    }
  }

  @Test
  void existingServiceAccountIsUsedAndNotCreated() {
    Rendered rendered =
        Helm.render(
            "--set", "serviceAccount.create=false", "--set", "serviceAccount.name=existing");

    assertThat(rendered.ofKind("ServiceAccount")).isEmpty();
    assertThat(rendered.one("Deployment").at("/spec/template/spec/serviceAccountName").asText())
        .isEqualTo("existing");
  }

  private static List<JsonNode> rules(Rendered rendered, String... kinds) {
    List<JsonNode> rules = new ArrayList<>();
    for (String kind : kinds) {
      rendered.ofKind(kind).forEach(role -> role.path("rules").forEach(rules::add));
    }
    assertThat(rules).isNotEmpty();
    return rules;
  }

  /**
   * Flattens a role's rules to "apiGroup/resource[resourceNames]" -> sorted verbs, failing on
   * duplicates.
   */
  private static Map<String, String> grants(JsonNode role) {
    Map<String, String> grants = new TreeMap<>();
    for (JsonNode rule : role.path("rules")) {
      TreeSet<String> verbs = new TreeSet<>();
      rule.path("verbs").forEach(v -> verbs.add(v.asText()));
      TreeSet<String> names = new TreeSet<>();
      rule.path("resourceNames").forEach(n -> names.add(n.asText()));
      String suffix = names.isEmpty() ? "" : "[" + String.join(",", names) + "]";
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          String key = group.asText() + "/" + resource.asText() + suffix;
          assertThat(grants.put(key, verbs.toString())).as("%s granted twice", key).isNull();
        }
      }
    }
    return grants;
  }
}
