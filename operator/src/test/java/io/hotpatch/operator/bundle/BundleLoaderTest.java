package io.hotpatch.operator.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.hotpatch.operator.CrudApiServer;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.Reason;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A verified bundle is read from its ConfigMap once per interval, not once per reconcile. */
class BundleLoaderTest {
  private KubernetesMockServer api;
  private KubernetesClient client;
  private HotPatch hotPatch;

  @BeforeEach
  void start() {
    api = CrudApiServer.start();
    client = api.createClient();
    String sha =
        OperatorTestSupport.storeBundle(client, "shop", "fix-bundle", TestBundles.priceFix(1));
    hotPatch = OperatorTestSupport.newHotPatch("shop", "fix", sha, spec -> {});
  }

  @AfterEach
  void stop() {
    client.close();
    api.destroy();
  }

  @Test
  void passesWithinTheIntervalReadTheConfigMapOnce() {
    BundleLoader loader = new BundleLoader(client, new BundleVerdicts(), Duration.ofHours(1));
    int before = api.getRequestCount();

    for (int pass = 0; pass < 5; pass++) {
      assertThat(loader.load(hotPatch).ok()).isTrue();
    }

    assertThat(api.getRequestCount() - before).isEqualTo(1);
  }

  @Test
  void aConfigMapDeletedIsNoticedOnceTheIntervalIsOver() {
    BundleLoader loader = new BundleLoader(client, new BundleVerdicts(), Duration.ZERO);
    assertThat(loader.load(hotPatch).ok()).isTrue();

    client.configMaps().inNamespace("shop").withName("fix-bundle").delete();

    assertThat(loader.load(hotPatch).problem().reason()).isEqualTo(Reason.BundleNotFound.name());
  }

  @Test
  void aBundleThatFailedIsReadAgainAtTheNextPass() {
    BundleLoader loader = new BundleLoader(client, new BundleVerdicts(), Duration.ofHours(1));
    hotPatch.getSpec().getBundle().getConfigMapRef().setName("later-bundle");
    assertThat(loader.load(hotPatch).problem().reason()).isEqualTo(Reason.BundleNotFound.name());

    OperatorTestSupport.storeBundle(client, "shop", "later-bundle", TestBundles.priceFix(1));

    assertThat(loader.load(hotPatch).ok()).isTrue();
  }
}
