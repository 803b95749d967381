package io.hotpatch.operator.reconciler;

import static io.hotpatch.testkit.StandInPods.controlledBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.RolloutMode;
import io.hotpatch.operator.rollout.RestartAnnotation;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The rolling-restart fallback: annotate the owning workload's pod template, once; never delete a
 * pod.
 */
@OperatorOnMockApi
class FallbackIT extends OperatorTestSupport {

  @Test
  void notHotApplicableRollsTheDeploymentOnceAndItsNewPodsReportStartup() {
    ReplicaSet oldPods = deploymentWithReplicaSet("checkout", false, "checkout-v1");
    pod(namespace, "checkout-v1-a", APP, controlledBy(oldPods), Map.of());
    pod(namespace, "checkout-v1-b", APP, controlledBy(oldPods), Map.of());
    sidecars.behave(namespace, "checkout-v1-a").result(ResultState.NOT_HOT_APPLICABLE);
    sidecars.behave(namespace, "checkout-v1-b").result(ResultState.NOT_HOT_APPLICABLE);
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    HotPatch hotPatch =
        hotPatch("fix", sha, spec -> spec.getStrategy().setMaxParallel(new IntOrString("100%")));

    String key = RestartAnnotation.key(hotPatch);
    String expected =
        hotPatch.getMetadata().getUid() + "." + hotPatch.getMetadata().getGeneration();
    eventually().until(() -> expected.equals(templateAnnotations(deployment("checkout")).get(key)));
    awaitCondition("fix", "Progressing", "True", "RestartInProgress");
    String version = deployment("checkout").getMetadata().getResourceVersion();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> version.equals(deployment("checkout").getMetadata().getResourceVersion()));
    eventually().untilAsserted(() -> assertThat(events("RestartFallback")).hasSize(1));
    assertThat(client.pods().inNamespace(namespace).withName("checkout-v1-a").get()).isNotNull();

    // What the Deployment controller does next: a new ReplicaSet whose pods carry the annotation.
    ReplicaSet newPods = replicaSet("checkout-v2", deployment("checkout"));
    for (String name : new String[] {"checkout-v2-a", "checkout-v2-b"}) {
      sidecars.behave(namespace, name).startedWithBundle();
      pod(namespace, name, APP, controlledBy(newPods), Map.of(key, expected));
    }
    client.pods().inNamespace(namespace).withName("checkout-v1-a").delete();
    client.pods().inNamespace(namespace).withName("checkout-v1-b").delete();

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    assertThat(get("fix").getStatus().getPods())
        .extracting(p -> p.getName() + ":" + p.getMethod())
        .containsExactly("checkout-v2-a:Startup", "checkout-v2-b:Startup");
    eventually().untilAsserted(() -> assertThat(events("RestartFallback")).hasSize(1));
  }

  @Test
  void statefulSetsAndDaemonSetsAreRolledThroughTheirPodTemplate() {
    StatefulSet db =
        client
            .resource(
                new StatefulSetBuilder()
                    .withNewMetadata()
                    .withName("db")
                    .withNamespace(namespace)
                    .endMetadata()
                    .withNewSpec()
                    .withSelector(new LabelSelectorBuilder().withMatchLabels(APP).build())
                    .withTemplate(appTemplate())
                    .endSpec()
                    .build())
            .create();
    DaemonSet agent =
        client
            .resource(
                new DaemonSetBuilder()
                    .withNewMetadata()
                    .withName("agent")
                    .withNamespace(namespace)
                    .endMetadata()
                    .withNewSpec()
                    .withSelector(new LabelSelectorBuilder().withMatchLabels(APP).build())
                    .withTemplate(appTemplate())
                    .endSpec()
                    .build())
            .create();
    pod(namespace, "db-0", APP, controlledBy(db), Map.of());
    pod(namespace, "agent-x1", APP, controlledBy(agent), Map.of());
    sidecars.behave(namespace, "db-0").result(ResultState.NOT_HOT_APPLICABLE);
    sidecars.behave(namespace, "agent-x1").result(ResultState.NOT_HOT_APPLICABLE);
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    HotPatch hotPatch =
        hotPatch("fix", sha, spec -> spec.getStrategy().setMaxParallel(new IntOrString(2)));

    String key = RestartAnnotation.key(hotPatch);
    eventually()
        .until(
            () ->
                templateAnnotations(get(StatefulSet.class, "db", s -> s.getSpec().getTemplate()))
                    .containsKey(key));
    eventually()
        .until(
            () ->
                templateAnnotations(get(DaemonSet.class, "agent", d -> d.getSpec().getTemplate()))
                    .containsKey(key));
    eventually().untilAsserted(() -> assertThat(events("RestartFallback")).hasSize(2));
  }

  @Test
  void restartOnlyRollsTheWorkloadWithoutAnyHotApply() {
    ReplicaSet pods = deploymentWithReplicaSet("checkout", false, "checkout-v1");
    pod(namespace, "checkout-v1-a", APP, controlledBy(pods), Map.of());
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    HotPatch hotPatch =
        hotPatch("fix", sha, spec -> spec.getStrategy().setMode(RolloutMode.RestartOnly));

    eventually()
        .until(
            () ->
                templateAnnotations(deployment("checkout"))
                    .containsKey(RestartAnnotation.key(hotPatch)));
    awaitCondition("fix", "Progressing", "True", "RestartInProgress");
    assertThat(sidecars.hotApplies(namespace, "checkout-v1-a")).isZero();
  }

  @Test
  void aPausedDeploymentAndABarePodTellTheUserWhatToDoAndNothingIsDeleted() {
    ReplicaSet pods = deploymentWithReplicaSet("checkout", true, "checkout-v1");
    pod(namespace, "checkout-v1-a", APP, controlledBy(pods), Map.of());
    pod(namespace, "bare", APP, null, Map.of());
    sidecars.behave(namespace, "checkout-v1-a").result(ResultState.NOT_HOT_APPLICABLE);
    sidecars.behave(namespace, "bare").result(ResultState.NOT_HOT_APPLICABLE);
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    HotPatch hotPatch =
        hotPatch("fix", sha, spec -> spec.getStrategy().setMaxParallel(new IntOrString(2)));

    eventually()
        .untilAsserted(
            () ->
                assertThat(condition("fix", "Degraded"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getMessage())
                              .contains("kubectl rollout resume deployment/checkout")
                              .contains("bare has no owning workload");
                        }));
    assertThat(condition("fix", "Ready"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(templateAnnotations(deployment("checkout")))
        .doesNotContainKey(RestartAnnotation.key(hotPatch));
    assertThat(client.pods().inNamespace(namespace).withName("bare").get()).isNotNull();
    assertThat(client.pods().inNamespace(namespace).withName("checkout-v1-a").get()).isNotNull();
    eventually().until(() -> warningsMentioning("rollout resume") > 0);
    int warnings = warningsMentioning("rollout resume");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> warningsMentioning("rollout resume") == warnings);
  }

  @Test
  void hotOnlyNeverRestartsAndSaysHowToProceed() {
    ReplicaSet pods = deploymentWithReplicaSet("checkout", false, "checkout-v1");
    pod(namespace, "checkout-v1-a", APP, controlledBy(pods), Map.of());
    sidecars.behave(namespace, "checkout-v1-a").result(ResultState.NOT_HOT_APPLICABLE);
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    HotPatch hotPatch =
        hotPatch("fix", sha, spec -> spec.getStrategy().setMode(RolloutMode.HotOnly));

    eventually()
        .untilAsserted(
            () ->
                assertThat(condition("fix", "Degraded"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getMessage()).contains("set strategy.mode to Auto");
                        }));
    assertThat(templateAnnotations(deployment("checkout")))
        .doesNotContainKey(RestartAnnotation.key(hotPatch));
    assertThat(get("fix").getStatus().getFailedPods()).isEqualTo(1);
  }

  /**
   * Warning events whose message mentions the text: one per change of the problem, not per
   * reconcile.
   */
  private int warningsMentioning(String text) {
    return (int)
        client.v1().events().inNamespace(namespace).list().getItems().stream()
            .filter(e -> "Warning".equals(e.getType()) && e.getMessage().contains(text))
            .count();
  }

  private <T extends HasMetadata> PodTemplateSpec get(
      Class<T> type, String name, Function<T, PodTemplateSpec> template) {
    return template.apply(client.resources(type).inNamespace(namespace).withName(name).get());
  }

  private static Map<String, String> templateAnnotations(Deployment deployment) {
    return templateAnnotations(deployment.getSpec().getTemplate());
  }

  private static Map<String, String> templateAnnotations(PodTemplateSpec template) {
    return template.getMetadata().getAnnotations() == null
        ? Map.of()
        : template.getMetadata().getAnnotations();
  }
}
