package io.hotpatch.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.api.v1alpha1.BundleSource;
import io.hotpatch.operator.api.v1alpha1.CanaryStrategy;
import io.hotpatch.operator.api.v1alpha1.ConfigMapBundleReference;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchSpec;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.RolloutStrategy;
import io.hotpatch.operator.channel.TestingSidecarGateway;
import io.hotpatch.testkit.StandInPods;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared fixtures for the operator tests: a fresh namespace per test and builders for its objects.
 */
public abstract class OperatorTestSupport {
  public static final Map<String, String> APP = Map.of("app", "checkout");

  @Inject protected KubernetesClient client;
  @Inject protected TestingSidecarGateway sidecars;
  protected String namespace;

  @BeforeEach
  void freshNamespace() {
    namespace = "t-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  protected static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
  }

  protected Pod pod(String name) {
    return pod(namespace, name, APP, null, Map.of());
  }

  protected Pod pod(
      String ns,
      String name,
      Map<String, String> labels,
      OwnerReference owner,
      Map<String, String> annotations) {
    return client
        .pods()
        .inNamespace(ns)
        .resource(newPod(ns, name, labels, owner, annotations))
        .create();
  }

  /** A running, ready pod with one container "app", as a kubelet reports it; not stored. */
  public static Pod newPod(
      String ns,
      String name,
      Map<String, String> labels,
      OwnerReference owner,
      Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .withLabels(labels)
        .withAnnotations(annotations)
        .withUid(UUID.randomUUID().toString())
        .withOwnerReferences(owner == null ? List.of() : List.of(owner))
        .endMetadata()
        .withSpec(StandInPods.appSpec())
        .withStatus(StandInPods.runningStatus(true, 0, Instant.now().minus(Duration.ofHours(1))))
        .build();
  }

  /**
   * A Deployment {@code name} of the {@link #APP} pods and its ReplicaSet {@code replicaSet}, as
   * the Deployment controller makes it; the pods are the caller's.
   */
  protected ReplicaSet deploymentWithReplicaSet(String name, boolean paused, String replicaSet) {
    client
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withPaused(paused)
                .withSelector(new LabelSelectorBuilder().withMatchLabels(APP).build())
                .withTemplate(appTemplate())
                .endSpec()
                .build())
        .create();
    return replicaSet(replicaSet, deployment(name));
  }

  protected ReplicaSet replicaSet(String name, Deployment owner) {
    return client
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withOwnerReferences(StandInPods.controlledBy(owner))
                .endMetadata()
                .withNewSpec()
                .withSelector(new LabelSelectorBuilder().withMatchLabels(APP).build())
                .withTemplate(appTemplate())
                .endSpec()
                .build())
        .create();
  }

  protected Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  /**
   * Publishes v1 of the price fix as the HotPatch "fix" for the {@link #APP} pods and waits until
   * it is Ready with every pod patched; returns the bundle's sha256.
   */
  protected String fixReady() {
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", sha, spec -> {});
    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    return sha;
  }

  /** Changes the spec of the HotPatch {@code name}, as {@code kubectl edit} does. */
  protected void editSpec(String name, Consumer<HotPatchSpec> change) {
    client
        .resources(HotPatch.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            hp -> {
              change.accept(hp.getSpec());
              return hp;
            });
  }

  /** A canary of {@code pods} pods that must stay healthy for {@code soakSeconds}. */
  protected static CanaryStrategy canaryOf(int pods, int soakSeconds) {
    CanaryStrategy canary = new CanaryStrategy();
    canary.setPods(pods);
    canary.setSoakSeconds(soakSeconds);
    return canary;
  }

  /** The pod template of the workloads that own the {@link #APP} pods. */
  protected static PodTemplateSpec appTemplate() {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(APP)
        .endMetadata()
        .withSpec(StandInPods.appSpec())
        .build();
  }

  /**
   * Sets readiness and, when restarts grew, a container start time of now (seconds, as a kubelet).
   */
  protected void setPodStatus(String name, boolean ready, int restarts) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    boolean restarted = restarts > pod.getStatus().getContainerStatuses().get(0).getRestartCount();
    Instant startedAt =
        restarted
            ? Instant.now()
            : Instant.parse(
                pod.getStatus()
                    .getContainerStatuses()
                    .get(0)
                    .getState()
                    .getRunning()
                    .getStartedAt());
    pod.setStatus(StandInPods.runningStatus(ready, restarts, startedAt));
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  /**
   * Stores a bundle in a ConfigMap as `kubectl create configmap --from-file` does; returns its
   * sha256.
   */
  protected String bundleConfigMap(String name, byte[] bundle) {
    return storeBundle(client, namespace, name, bundle);
  }

  /** Stores a bundle in ConfigMap NAME, key bundle.jar, as {@link #bundleConfigMap}; its sha256. */
  public static String storeBundle(
      KubernetesClient client, String namespace, String name, byte[] bundle) {
    ConfigMap configMap =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withBinaryData(Map.of("bundle.jar", Base64.getEncoder().encodeToString(bundle)))
            .build();
    client.configMaps().inNamespace(namespace).resource(configMap).create();
    return Sha256.hex(bundle);
  }

  protected HotPatch hotPatch(String name, String sha256, Consumer<HotPatchSpec> customize) {
    return client.resource(newHotPatch(namespace, name, sha256, customize)).create();
  }

  /**
   * A HotPatch on the pods labelled {@link #APP}, its bundle in ConfigMap NAME-bundle; not stored.
   */
  public static HotPatch newHotPatch(
      String namespace, String name, String sha256, Consumer<HotPatchSpec> customize) {
    HotPatchSpec spec = new HotPatchSpec();
    spec.setSelector(new LabelSelectorBuilder().withMatchLabels(APP).build());
    BundleSource bundle = new BundleSource();
    ConfigMapBundleReference ref = new ConfigMapBundleReference();
    ref.setName(name + "-bundle");
    bundle.setConfigMapRef(ref);
    bundle.setSha256(sha256);
    spec.setBundle(bundle);
    spec.setStrategy(new RolloutStrategy());
    customize.accept(spec);
    HotPatch hotPatch = new HotPatch();
    hotPatch.getMetadata().setName(name);
    hotPatch.getMetadata().setNamespace(namespace);
    hotPatch.setSpec(spec);
    return hotPatch;
  }

  protected HotPatch get(String name) {
    return client.resources(HotPatch.class).inNamespace(namespace).withName(name).get();
  }

  protected Optional<Condition> condition(String name, String type) {
    HotPatch hotPatch = get(name);
    if (hotPatch == null || hotPatch.getStatus() == null) {
      return Optional.empty();
    }
    return hotPatch.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  protected boolean conditionIs(String name, String type, String status, String reason) {
    return condition(name, type)
        .filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason()))
        .isPresent();
  }

  protected void awaitCondition(String name, String type, String status, String reason) {
    eventually()
        .untilAsserted(
            () ->
                org.assertj.core.api.Assertions.assertThat(condition(name, type))
                    .hasValueSatisfying(
                        c -> {
                          org.assertj.core.api.Assertions.assertThat(c.getStatus())
                              .isEqualTo(status);
                          org.assertj.core.api.Assertions.assertThat(c.getReason())
                              .isEqualTo(reason);
                        }));
  }

  protected Optional<PodPatchStatus> podEntry(String hotPatch, String pod) {
    HotPatch current = get(hotPatch);
    return current == null || current.getStatus() == null
        ? Optional.empty()
        : current.getStatus().getPods().stream().filter(p -> pod.equals(p.getName())).findFirst();
  }

  protected ResultState stateOf(String hotPatch, String pod) {
    return podEntry(hotPatch, pod).map(PodPatchStatus::getState).orElse(null);
  }

  protected List<Event> events(String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
