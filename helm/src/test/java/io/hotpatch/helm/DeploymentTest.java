package io.hotpatch.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator Deployment: highly available, probed, bounded, and compatible with the restricted
 * Pod Security Standard.
 */
class DeploymentTest {
  static Stream<List<String>> valueCombinations() {
    return Stream.of(
        List.of(),
        List.of("--set", "tls.certManager.enabled=true"),
        List.of("--set", "replicas=1", "--set", "sidecar.mode=container"),
        List.of(
            "--set",
            "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                + ".nodeSelectorTerms[0].matchExpressions[0].key=kubernetes.io/os",
            "--set",
            "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                + ".nodeSelectorTerms[0].matchExpressions[0].operator=Exists",
            "--set",
            "podAnnotations.team=sre",
            "--set",
            "runAsUser=2000"));
  }

  @ParameterizedTest
  @MethodSource("valueCombinations")
  void podIsRestrictedPodSecurityStandardCompatible(List<String> values) {
    JsonNode pod =
        Helm.render(values.toArray(String[]::new)).one("Deployment").at("/spec/template/spec");
    JsonNode podContext = pod.path("securityContext");

    for (String hostNamespace : List.of("hostNetwork", "hostPID", "hostIPC")) {
      assertThat(pod.path(hostNamespace).asBoolean(false)).as(hostNamespace).isFalse();
    }
    assertThat(pod.path("volumes").findParents("hostPath")).as("hostPath volumes").isEmpty();
    assertThat(podContext.path("runAsUser").asInt(-1)).isPositive();
    for (JsonNode container : pod.path("containers")) {
      JsonNode context = container.path("securityContext");
      String name = container.path("name").asText();
      assertThat(
              context.path("runAsNonRoot").asBoolean(podContext.path("runAsNonRoot").asBoolean()))
          .as("%s runAsNonRoot", name)
          .isTrue();
      assertThat(context.path("allowPrivilegeEscalation").isBoolean())
          .as("%s allowPrivilegeEscalation set", name)
          .isTrue();
      assertThat(context.path("allowPrivilegeEscalation").asBoolean())
          .as("%s allowPrivilegeEscalation", name)
          .isFalse();
      assertThat(context.path("privileged").asBoolean(false)).as("%s privileged", name).isFalse();
      assertThat(Rendered.texts(context.at("/capabilities/drop")))
          .as("%s drops", name)
          .contains("ALL");
      assertThat(context.at("/capabilities/add").size()).as("%s adds capabilities", name).isZero();
      assertThat(context.path("readOnlyRootFilesystem").asBoolean())
          .as("%s readOnlyRootFilesystem", name)
          .isTrue();
      String seccomp =
          context.at("/seccompProfile/type").asText(podContext.at("/seccompProfile/type").asText());
      assertThat(seccomp).as("%s seccomp profile", name).isIn("RuntimeDefault", "Localhost");
      assertThat(context.path("runAsUser").asInt(1)).as("%s runAsUser", name).isNotZero();
    }
  }

  @Test
  void twoReplicasWithProbesResourcesAndADisruptionBudget() {
    Rendered rendered = Helm.render();
    JsonNode deployment = rendered.one("Deployment");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");

    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
    assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThat(
            container.findParents("containerPort").stream()
                .map(p -> p.path("containerPort").asInt()))
        .containsExactlyInAnyOrder(8080, 8443);
    assertThat(container.at("/resources/requests/cpu").asText()).isNotBlank();
    assertThat(container.at("/resources/requests/memory").asText()).isNotBlank();
    assertThat(container.at("/resources/limits/memory").asText()).isNotBlank();
    assertThat(rendered.one("PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(1);
    assertThat(rendered.one("PodDisruptionBudget").at("/spec/selector"))
        .isEqualTo(deployment.at("/spec/selector"));
  }

  @Test
  void singleReplicaHasNoDisruptionBudgetThatWouldBlockNodeDrains() {
    Rendered rendered = Helm.render("--set", "replicas=1", "--set", "sidecar.mode=container");

    assertThat(rendered.one("Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(rendered.ofKind("PodDisruptionBudget")).isEmpty();
  }

  @Test
  void imagesAndSidecarModeComeFromValues() {
    JsonNode container =
        Helm.render(
                "--set",
                "image.repository=registry.local/op",
                "--set",
                "image.tag=dev",
                "--set",
                "sidecar.image.repository=registry.local/sc",
                "--set",
                "sidecar.mode=container",
                "--set",
                "webhook.excludedNamespaces={monitoring,billing}",
                "--set",
                "sidecar.startupWaitSeconds=0")
            .one("Deployment")
            .at("/spec/template/spec/containers/0");

    assertThat(container.path("image").asText()).isEqualTo("registry.local/op:dev");
    assertThat(env(container, "HOTPATCH_SIDECAR_IMAGE")).isEqualTo("registry.local/sc:0.1.0");
    assertThat(env(container, "HOTPATCH_SIDECAR_MODE")).isEqualTo("container");
    assertThat(env(container, "HOTPATCH_WEBHOOK_EXCLUDED_NAMESPACES"))
        .isEqualTo("monitoring,billing");
    assertThat(env(container, "HOTPATCH_SIDECAR_STARTUP_WAIT_SECONDS")).isEqualTo("0");
    JsonNode defaults = Helm.render().one("Deployment").at("/spec/template/spec/containers/0");
    assertThat(defaults.path("image").asText()).endsWith(":0.1.0");
    assertThat(env(defaults, "HOTPATCH_SIDECAR_MODE")).isEqualTo("native");
    assertThat(env(defaults, "HOTPATCH_SIDECAR_STARTUP_WAIT_SECONDS")).isEqualTo("20");
  }

  @Test
  void theHttpsConnectionCapAndIdleTimeoutComeFromValues() {
    JsonNode defaults = Helm.render().one("Deployment").at("/spec/template/spec/containers/0");
    JsonNode sized =
        Helm.render("--set", "connections.max=6000", "--set", "connections.idleTimeoutSeconds=90")
            .one("Deployment")
            .at("/spec/template/spec/containers/0");
    Helm.Result cutsLongPolls = Helm.template("--set", "connections.idleTimeoutSeconds=30");

    assertThat(env(defaults, "QUARKUS_HTTP_LIMITS_MAX_CONNECTIONS")).isEqualTo("5000");
    assertThat(env(defaults, "QUARKUS_HTTP_IDLE_TIMEOUT")).isEqualTo("75s");
    assertThat(env(sized, "QUARKUS_HTTP_LIMITS_MAX_CONNECTIONS")).isEqualTo("6000");
    assertThat(env(sized, "QUARKUS_HTTP_IDLE_TIMEOUT")).isEqualTo("90s");
    assertThat(cutsLongPolls.exitCode()).isNotZero();
    assertThat(cutsLongPolls.stderr()).contains("idleTimeoutSeconds", "minimum");
  }

  @Test
  void theDeliveryToPodsWithoutTheSidecarComesFromValues() {
    assertValueBecomesEnv(
        "delivery.uninjectedPods",
        "HOTPATCH_OPERATOR_UNINJECTED_PODS",
        "RestartWorkload",
        "EphemeralContainer",
        "Ephemeral");
  }

  @Test
  void theTlsEngineComesFromValues() {
    assertValueBecomesEnv(
        "tls.engine", "HOTPATCH_OPERATOR_TLS_ENGINE", "OpenSsl", "Jdk", "Conscrypt");
  }

  /**
   * A chart value the operator reads from an env var: its default, another choice, and a value the
   * schema refuses, naming the value.
   */
  private static void assertValueBecomesEnv(
      String value, String env, String byDefault, String other, String unknown) {
    JsonNode defaults = Helm.render().one("Deployment").at("/spec/template/spec/containers/0");
    JsonNode chosen =
        Helm.render("--set", value + "=" + other)
            .one("Deployment")
            .at("/spec/template/spec/containers/0");
    Helm.Result refused = Helm.template("--set", value + "=" + unknown);

    assertThat(env(defaults, env)).isEqualTo(byDefault);
    assertThat(env(chosen, env)).isEqualTo(other);
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains(value.substring(value.lastIndexOf('.') + 1));
  }

  @Test
  void nativeSidecarModeIsRefusedBeforeKubernetes129() {
    Helm.Result native128 = Helm.template("--kube-version", "1.28.3");
    Helm.Result container128 =
        Helm.template("--kube-version", "1.28.3", "--set", "sidecar.mode=container");

    assertThat(native128.exitCode()).isNotZero();
    assertThat(native128.stderr())
        .contains("sidecar.mode=native needs Kubernetes 1.29+", "set sidecar.mode=container");
    assertThat(container128.exitCode()).as(container128.stderr()).isZero();
  }

  private static String env(JsonNode container, String name) {
    for (JsonNode variable : container.path("env")) {
      if (variable.path("name").asText().equals(name)) {
        return variable.path("value").asText();
      }
    }
    throw new AssertionError("no env " + name + " in " + container.path("env"));
  }
}
