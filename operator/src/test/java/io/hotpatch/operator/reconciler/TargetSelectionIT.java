package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Target selection: the selector's pods in the HotPatch's namespace, nothing else, read from the
 * informer's cache.
 */
@OperatorOnMockApi
class TargetSelectionIT extends OperatorTestSupport {
  @KubernetesTestServer KubernetesServer apiServer;

  @TestHTTPResource(value = "/", management = true)
  URI management;

  @Test
  void aRolloutReadsItsPodsFromTheInformerAndServesEveryEntryOnTheManagementPort()
      throws Exception {
    for (int i = 0; i < 5; i++) {
      pod("checkout-" + i);
    }
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    while (next() != null) {
      // what the fixtures asked so far
    }

    hotPatch("fix", sha, spec -> {});

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    List<String> podReads = new ArrayList<>();
    for (RecordedRequest r = next(); r != null; r = next()) {
      if ("GET".equals(r.getMethod())
          && r.getPath().startsWith("/api/v1/namespaces/" + namespace + "/pods")
          && !r.getPath().contains("watch=true")) {
        podReads.add(r.getPath());
      }
    }
    assertThat(podReads).as("pod reads of the API server during a rollout of 5 pods").isEmpty();

    HttpResponse<String> everyPod =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(management.resolve("/q/hotpatch/pods/" + namespace + "/fix"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(everyPod.statusCode()).isEqualTo(200);
    assertThat(everyPod.body())
        .as("every pod's entry on the management port")
        .contains("\"checkout-0\"", "\"checkout-4\"", "\"state\":\"APPLIED\"");
  }

  private RecordedRequest next() throws InterruptedException {
    return apiServer.getKubernetesMockServer().takeRequest(0, TimeUnit.MILLISECONDS);
  }

  @Test
  void patchesOnlyMatchingPodsOfItsOwnNamespace() {
    String other = "o-" + UUID.randomUUID().toString().substring(0, 8);
    pod("checkout-a");
    pod("checkout-b");
    pod(namespace, "billing", Map.of("app", "billing"), null, Map.of());
    pod(other, "checkout-elsewhere", APP, null, Map.of());
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    hotPatch("fix", sha, spec -> {});

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    HotPatch patched = get("fix");
    assertThat(patched.getStatus().getTargetPods()).isEqualTo(2);
    assertThat(patched.getStatus().getPatched()).isEqualTo("2/2");
    assertThat(patched.getStatus().getPods())
        .extracting(p -> p.getName())
        .containsExactly("checkout-a", "checkout-b");
    assertThat(patched.getStatus().getPods())
        .allSatisfy(p -> assertThat(p.getMethod()).isEqualTo("Hot"));
    assertThat(sidecars.hotApplies(namespace, "checkout-a")).isEqualTo(1);
    assertThat(sidecars.hotApplies(namespace, "billing")).isZero();
    assertThat(sidecars.touched(other)).isFalse();
    assertThat(patched.getStatus().getObservedGeneration())
        .isEqualTo(patched.getMetadata().getGeneration());
    assertThat(patched.getMetadata().getGeneration())
        .as("the operator never writes spec")
        .isEqualTo(1L);
  }

  @Test
  void aNamedContainerLimitsTheTargetsToPodsThatRunIt() {
    pod("checkout-a");
    Pod other = pod("checkout-web");
    client.pods().inNamespace(namespace).withName("checkout-web").delete();
    eventually()
        .until(() -> client.pods().inNamespace(namespace).withName("checkout-web").get() == null);
    other.getMetadata().setResourceVersion(null);
    other.getSpec().getContainers().get(0).setName("web");
    client.pods().inNamespace(namespace).resource(other).create();
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    hotPatch("fix", sha, spec -> spec.setContainerName("app"));

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    assertThat(get("fix").getStatus().getPatched()).isEqualTo("1/1");
    assertThat(sidecars.hotApplies(namespace, "checkout-web")).isZero();
  }
}
