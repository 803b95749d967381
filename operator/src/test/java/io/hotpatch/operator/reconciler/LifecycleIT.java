package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.OnDeletePolicy;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Spec changes (observedGeneration, conditions) and deletion through the finalizer (Keep, Revert).
 */
@OperatorOnMockApi
class LifecycleIT extends OperatorTestSupport {
  @KubernetesTestServer KubernetesServer mockServer;

  @Test
  void aNewBundleStartsANewRolloutAndObservedGenerationFollowsTheSpec() {
    pod("checkout-a");
    pod("checkout-b");
    String v1 = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", v1, spec -> {});
    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    long firstGeneration = get("fix").getMetadata().getGeneration();

    byte[] v2Bundle = TestBundles.priceFix(2);
    client.configMaps().inNamespace(namespace).withName("fix-bundle").delete();
    bundleConfigMap("fix-bundle", v2Bundle);
    editSpec("fix", spec -> spec.getBundle().setSha256(Sha256.hex(v2Bundle)));

    eventually()
        .untilAsserted(
            () -> {
              HotPatch current = get("fix");
              assertThat(current.getMetadata().getGeneration()).isGreaterThan(firstGeneration);
              assertThat(current.getStatus().getObservedGeneration())
                  .isEqualTo(current.getMetadata().getGeneration());
              assertThat(current.getStatus().getBundleSha256()).isEqualTo(Sha256.hex(v2Bundle));
              assertThat(current.getStatus().getConditions())
                  .allSatisfy(
                      c ->
                          assertThat(c.getObservedGeneration())
                              .isEqualTo(current.getMetadata().getGeneration()));
            });
    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    assertThat(sidecars.hotApplies(namespace, "checkout-a"))
        .as("one apply per bundle")
        .isEqualTo(2);
  }

  @Test
  void aSpecChangeThatKeepsTheBundleLeavesPodsAndTransitionTimesAlone() {
    pod("checkout-a");
    fixReady();
    Condition readyBefore = condition("fix", "Ready").orElseThrow();

    editSpec("fix", spec -> spec.getStrategy().setMaxParallel(new IntOrString(3)));

    eventually()
        .untilAsserted(
            () ->
                assertThat(condition("fix", "Ready"))
                    .hasValueSatisfying(
                        c ->
                            assertThat(c.getObservedGeneration())
                                .isGreaterThan(readyBefore.getObservedGeneration())));
    Condition readyAfter = condition("fix", "Ready").orElseThrow();
    assertThat(readyAfter.getStatus()).isEqualTo("True");
    assertThat(readyAfter.getLastTransitionTime()).isEqualTo(readyBefore.getLastTransitionTime());
    assertThat(get("fix").getStatus().getObservedGeneration())
        .isEqualTo(get("fix").getMetadata().getGeneration());
    assertThat(sidecars.hotApplies(namespace, "checkout-a")).isEqualTo(1);
  }

  @Test
  void reconcilesThatChangeNothingDoNotWriteStatus() throws InterruptedException {
    pod("checkout-a");
    fixReady();
    statusWrites("fix");
    int reconcilesBefore = sidecars.publishCalls(namespace);

    for (int i = 0; i < 3; i++) {
      client
          .pods()
          .inNamespace(namespace)
          .withName("checkout-a")
          .edit(
              p ->
                  new PodBuilder(p)
                      .editMetadata()
                      .addToAnnotations("touched", "" + System.nanoTime())
                      .endMetadata()
                      .build());
    }

    eventually().until(() -> sidecars.publishCalls(namespace) >= reconcilesBefore + 2);
    assertThat(statusWrites("fix"))
        .as("status writes after reconciles that changed nothing")
        .isZero();
  }

  /** Drains the mock server's request log and counts the writes to this HotPatch's status. */
  private int statusWrites(String name) throws InterruptedException {
    String path = "/namespaces/" + namespace + "/hotpatches/" + name + "/status";
    int writes = 0;
    for (RecordedRequest r = next(); r != null; r = next()) {
      if (!"GET".equals(r.getMethod())
          && r.getPath().startsWith("/apis/hotpatch.io/v1alpha1" + path)) {
        writes++;
      }
    }
    return writes;
  }

  private RecordedRequest next() throws InterruptedException {
    return mockServer.getKubernetesMockServer().takeRequest(0, TimeUnit.MILLISECONDS);
  }

  @Test
  void deletingWithKeepLeavesThePatchInPlace() {
    pod("checkout-a");
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", sha, spec -> spec.setOnDelete(OnDeletePolicy.Keep));
    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    assertThat(get("fix").getMetadata().getFinalizers()).isNotEmpty();

    client.resources(HotPatch.class).inNamespace(namespace).withName("fix").delete();

    eventually().until(() -> get("fix") == null);
    assertThat(sidecars.reverts(namespace, "checkout-a")).isZero();
    eventually().untilAsserted(() -> assertThat(events("PatchKept")).hasSize(1));
  }

  @Test
  void deletingWithRevertRevertsEveryPatchedPodFirst() {
    pod("checkout-a");
    pod("checkout-b");
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", sha, spec -> spec.setOnDelete(OnDeletePolicy.Revert));
    awaitCondition("fix", "Ready", "True", "AllPodsPatched");

    client.resources(HotPatch.class).inNamespace(namespace).withName("fix").delete();

    eventually().until(() -> get("fix") == null);
    assertThat(sidecars.reverts(namespace, "checkout-a")).isEqualTo(1);
    assertThat(sidecars.reverts(namespace, "checkout-b")).isEqualTo(1);
    eventually().untilAsserted(() -> assertThat(events("PatchReverted")).hasSize(1));
  }
}
