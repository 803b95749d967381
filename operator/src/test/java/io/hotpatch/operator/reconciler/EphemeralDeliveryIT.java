package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.DeliveryStrategy;
import io.hotpatch.operator.api.v1alpha1.HotPatchSpec;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.api.v1alpha1.UninjectedPodDelivery;
import io.hotpatch.operator.events.NameList;
import io.hotpatch.operator.rollout.EphemeralContainerAdder;
import io.hotpatch.operator.rollout.UninjectedDelivery;
import io.hotpatch.operator.webhook.EphemeralContainerTemplate;
import io.hotpatch.testkit.StandInPods;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Pods without the sidecar: the ephemeral container is added once per pod, whatever the number of
 * reconciles, HotPatches and operator restarts; pods where it cannot run safely are refused in
 * status.
 */
@OperatorOnMockApi
class EphemeralDeliveryIT extends OperatorTestSupport {
  @Inject Operator operator;
  @KubernetesTestServer KubernetesServer mockServer;
  private final AtomicInteger ephemeralPatches = new AtomicInteger();
  private final AtomicInteger patchesOfStoredPods = new AtomicInteger();
  private final Set<String> ephemeralStored = ConcurrentHashMap.newKeySet();

  @Test
  void anUninjectedPodGetsExactlyOneEphemeralContainerAcrossReconcilesHotPatchesAndARestart() {
    uninjectedPod("checkout-a", 1000L);
    // The simulated daemon answers late, so the rollout is reconciled many times before it reports.
    sidecars.behave(namespace, "checkout-a").delay(Duration.ofSeconds(3));
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    int reconcilesBefore = sidecars.publishCalls(namespace);
    hotPatch("fix", sha, ephemeral());

    eventually()
        .untilAsserted(
            () ->
                assertThat(ephemeralContainers("checkout-a"))
                    .as(
                        "after %s patches, status %s",
                        ephemeralPatches, Serialization.asJson(get("fix").getStatus()))
                    .hasSize(1));
    eventually().until(() -> sidecars.publishCalls(namespace) >= reconcilesBefore + 5);
    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    assertThat(podEntry("fix", "checkout-a"))
        .hasValueSatisfying(
            p -> {
              assertThat(p.getState()).isEqualTo(ResultState.APPLIED);
              assertThat(p.getDelivery()).isEqualTo(UninjectedDelivery.EPHEMERAL);
            });
    EphemeralContainer added = ephemeralContainers("checkout-a").get(0);
    assertThat(added.getName()).isEqualTo(EphemeralContainerTemplate.NAME);
    assertThat(added.getTargetContainerName()).isEqualTo("app");
    assertThat(added.getSecurityContext().getRunAsUser()).isEqualTo(1000L);

    operator.stop();
    sidecars.simulateOperatorRestart();
    operator.start();
    String sha2 = bundleConfigMap("fix2-bundle", TestBundles.priceFix(2));
    int afterRestart = sidecars.publishCalls(namespace);
    hotPatch("fix2", sha2, ephemeral());
    awaitCondition("fix2", "Ready", "True", "AllPodsPatched");
    eventually().until(() -> sidecars.publishCalls(namespace) >= afterRestart + 5);

    assertThat(ephemeralContainers("checkout-a"))
        .as("one ephemeral container per pod, ever")
        .hasSize(1);
    assertThat(patchesOfStoredPods)
        .as("patches of a pod that already had the container")
        .hasValue(0);
    assertThat(ephemeralPatches.get()).as("patches of pods/ephemeralcontainers").isBetween(1, 2);
    eventually().untilAsserted(() -> assertThat(events("EphemeralContainerAdded")).isNotEmpty());
    assertThat(podEntry("fix2", "checkout-a").map(PodPatchStatus::getDelivery))
        .hasValue(UninjectedDelivery.EPHEMERAL);
  }

  @Test
  void aWaveOfUninjectedPodsGetsOneContainerEachAndOneEventThatNamesThem() {
    // More pods than the adder runs at once, so that its calls overlap.
    List<String> pods =
        IntStream.range(0, 3 * EphemeralContainerAdder.IN_FLIGHT)
            .mapToObj(i -> String.format("checkout-%02d", i))
            .toList();
    pods.forEach(pod -> uninjectedPod(pod, 1000L));
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch(
        "fix",
        sha,
        ephemeral().andThen(spec -> spec.getStrategy().setMaxParallel(new IntOrString("100%"))));

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    eventually()
        .untilAsserted(
            () ->
                assertThat(events("EphemeralContainerAdded"))
                    // The stand-in API stores the container just after it answers, so a pass may
                    // add one again (a no-op for the API server) and say so in an Event of its own.
                    .anySatisfy(
                        e ->
                            assertThat(e.getMessage())
                                .startsWith(
                                    "Added ephemeral container hotpatch to "
                                        + pods.size()
                                        + " pods (they had no sidecar): ")
                                .contains(pods.subList(0, NameList.SHOWN))
                                .endsWith("and " + (pods.size() - NameList.SHOWN) + " more")));
    for (String pod : pods) {
      assertThat(ephemeralContainers(pod)).as(pod).hasSize(1);
      assertThat(podEntry("fix", pod).map(PodPatchStatus::getDelivery))
          .as(pod)
          .hasValue(UninjectedDelivery.EPHEMERAL);
    }
  }

  @Test
  void aPodWithoutAKnownUidIsRefusedWithTheReasonAndNoEphemeralContainer() {
    uninjectedPod("checkout-a", null);
    sidecars.behave(namespace, "checkout-a").silent();
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", sha, ephemeral());

    awaitCondition("fix", "Degraded", "True", Reason.EphemeralDeliveryRefused.name());
    assertThat(condition("fix", "Degraded").orElseThrow().getMessage())
        .contains("checkout-a", "runAsUser");
    assertThat(podEntry("fix", "checkout-a"))
        .hasValueSatisfying(
            p -> {
              assertThat(p.getDelivery()).isEqualTo(UninjectedDelivery.NONE);
              assertThat(p.getMessage())
                  .startsWith("no ephemeral container: ")
                  .contains("RestartWorkload");
            });
    assertThat(ephemeralContainers("checkout-a")).isEmpty();
  }

  @Test
  void skipLeavesAnUninjectedPodAloneAndSaysSo() {
    uninjectedPod("checkout-a", 1000L);
    sidecars.behave(namespace, "checkout-a").silent();
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", sha, delivery(UninjectedPodDelivery.Skip));

    eventually()
        .until(
            () ->
                podEntry("fix", "checkout-a")
                    .map(p -> UninjectedDelivery.NONE.equals(p.getDelivery()))
                    .orElse(false));
    assertThat(podEntry("fix", "checkout-a").orElseThrow().getMessage()).contains("Skip");
    assertThat(ephemeralContainers("checkout-a")).isEmpty();
  }

  private static Consumer<HotPatchSpec> ephemeral() {
    return delivery(UninjectedPodDelivery.EphemeralContainer);
  }

  private static Consumer<HotPatchSpec> delivery(UninjectedPodDelivery choice) {
    return spec -> {
      DeliveryStrategy delivery = new DeliveryStrategy();
      delivery.setUninjectedPods(choice);
      spec.setDelivery(delivery);
    };
  }

  /**
   * The mock API's CRUD mode does not serve the pods/ephemeralcontainers subresource: this does, as
   * the API server does for a strategic merge patch (ephemeral containers merged by name, never
   * removed or changed). The store is written right after the answer (the mock's event loop cannot
   * serve a write while it answers); a patch that arrives once the container is stored is counted
   * apart.
   */
  private void serveEphemeralContainers(String pod) {
    mockServer
        .expect()
        .patch()
        .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/ephemeralcontainers")
        .andReply(
            200,
            request -> {
              ephemeralPatches.incrementAndGet();
              if (ephemeralStored.contains(pod)) {
                patchesOfStoredPods.incrementAndGet();
              }
              Pod patch = Serialization.unmarshal(request.getUtf8Body(), Pod.class);
              CompletableFuture.runAsync(
                  () -> {
                    StandInPods.storeEphemeralContainers(client, namespace, pod, patch);
                    ephemeralStored.add(pod);
                  });
              return patch;
            })
        .always();
  }

  /**
   * A running pod as the API server keeps it: no sidecar, the kubelet's service account token
   * volume.
   */
  private void uninjectedPod(String name, Long uid) {
    serveEphemeralContainers(name);
    Pod pod = pod(name);
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .edit(
            p ->
                StandInPods.withServiceAccountToken(
                    new PodBuilder(p)
                        .editSpec()
                        .withNewSecurityContext()
                        .withRunAsUser(uid)
                        .withRunAsGroup(uid)
                        .withRunAsNonRoot(true)
                        .endSecurityContext()
                        .endSpec()
                        .build()));
    assertThat(pod.getMetadata().getUid()).isNotNull();
  }

  private List<EphemeralContainer> ephemeralContainers(String pod) {
    List<EphemeralContainer> found =
        client.pods().inNamespace(namespace).withName(pod).get().getSpec().getEphemeralContainers();
    return found == null ? List.of() : found;
  }
}
