package io.hotpatch.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.quarkus.test.junit.QuarkusMock;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** examples/hotpatch.yaml and its bundle ConfigMap apply as they are and patch matching pods. */
@OperatorOnMockApi
class ExamplesIT extends OperatorTestSupport {
  private static final Path EXAMPLES = Path.of("..", "examples");

  @Test
  void theExampleBundleIsARealBundlePinnedByTheExampleHotPatch() throws Exception {
    ConfigMap configMap = (ConfigMap) load("fix-price-rounding-bundle.yaml").get(0);
    HotPatch hotPatch;
    try (InputStream in = Files.newInputStream(EXAMPLES.resolve("hotpatch.yaml"))) {
      hotPatch = client.resources(HotPatch.class).load(in).item();
    }
    byte[] jar = Base64.getDecoder().decode(configMap.getBinaryData().get("bundle.jar"));

    assertThat(Sha256.hex(jar)).isEqualTo(hotPatch.getSpec().getBundle().getSha256());
    assertThat(Bundle.read(jar).getClasses()).containsKey("shop.PriceCalculator");
    assertThat(hotPatch.getSpec().getBundle().getConfigMapRef().getName())
        .isEqualTo(configMap.getMetadata().getName());
  }

  @Test
  void theExamplesApplyAsTheyAreAndPatchTheCheckoutPods() throws Exception {
    String shop = "shop";
    pod(shop, "checkout-1", APP, null, Map.of());
    pod(shop, "checkout-2", APP, null, Map.of());
    namespace = shop;

    for (HasMetadata resource : load("fix-price-rounding-bundle.yaml")) {
      client.resource(resource).createOr(existing -> existing.update());
    }
    for (HasMetadata resource : load("hotpatch.yaml")) {
      client.resource(resource).createOr(existing -> existing.update());
    }

    awaitCondition("fix-price-rounding", "Progressing", "True", "CanarySoaking");
    int soak = get("fix-price-rounding").getSpec().getStrategy().getCanary().getSoakSeconds();
    // The reconciler's clock moves past the example's soak (30 s) rather than the test waiting it
    // out; QuarkusMock puts the system clock back after this test.
    QuarkusMock.installMockForType(
        Clock.offset(Clock.systemUTC(), Duration.ofSeconds(soak)), Clock.class);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(conditionIs("fix-price-rounding", "Ready", "True", "AllPodsPatched"))
                    .isTrue());
    assertThat(get("fix-price-rounding").getStatus().getPods())
        .extracting(p -> p.getWave())
        .containsExactly(0, 1);
  }

  private List<HasMetadata> load(String file) throws Exception {
    try (InputStream in = Files.newInputStream(EXAMPLES.resolve(file))) {
      return client.load(in).items();
    }
  }
}
