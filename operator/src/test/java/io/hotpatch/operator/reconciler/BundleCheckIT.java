package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hotpatch.core.Sha256;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.testkit.HostileBundles;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The bundle is read from its ConfigMap and checked against spec.bundle.sha256 before anything is
 * applied.
 */
@OperatorOnMockApi
class BundleCheckIT extends OperatorTestSupport {

  @Test
  void aDigestMismatchIsDegradedAndAppliesNothing() {
    pod("checkout-a");
    bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    String otherSha = Sha256.hex(TestBundles.priceFix(2));

    hotPatch("fix", otherSha, spec -> {});

    awaitCondition("fix", "Degraded", "True", "BundleDigestMismatch");
    assertThat(condition("fix", "Degraded"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getMessage())
                    .contains("spec.bundle.sha256 pins " + otherSha)
                    .contains("nothing was applied"));
    assertThat(condition("fix", "Ready"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !sidecars.touched(namespace));
    eventually().untilAsserted(() -> assertThat(events("BundleDigestMismatch")).hasSize(1));
  }

  @Test
  void bytesThatAreNoBundleAreRefusedEvenWithTheRightDigest() {
    pod("checkout-a");
    String sha =
        bundleConfigMap(
            "fix-bundle", "not a jar".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    hotPatch("fix", sha, spec -> {});

    awaitCondition("fix", "Degraded", "True", "InvalidBundle");
    assertThat(condition("fix", "Degraded"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getMessage())
                    .contains("is refused: bundle is not a jar")
                    .contains("hotpatch diff"));
    assertThat(sidecars.touched(namespace)).isFalse();
  }

  @Test
  void aZipBombIsRefusedNamingTheLimitItPassed() {
    pod("checkout-a");
    String sha = bundleConfigMap("bomb", HostileBundles.zipBomb(256L << 20));

    hotPatch("fix", sha, spec -> spec.getBundle().getConfigMapRef().setName("bomb"));

    awaitCondition("fix", "Degraded", "True", "InvalidBundle");
    assertThat(condition("fix", "Degraded"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getMessage())
                    .isEqualTo(
                        "Bundle in ConfigMap "
                            + namespace
                            + "/bomb is refused: bundle entry shop/PriceCalculator.class"
                            + " inflates past 4 MiB, the most one entry may hold: a patch carries only the changed classes; diff"
                            + " the builds again with 'hotpatch diff'"));
    assertThat(sidecars.touched(namespace)).isFalse();
  }

  @Test
  void aBundleOfJdkClassesIsRefusedUnlessTheHotPatchAllowsThem() {
    String podUid = pod("checkout-a").getMetadata().getUid();
    String sha =
        bundleConfigMap("fix-bundle", HostileBundles.ofClass("java/lang/String", "String.java"));

    hotPatch("fix", sha, spec -> {});

    awaitCondition("fix", "Degraded", "True", "InvalidBundle");
    assertThat(condition("fix", "Degraded"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getMessage())
                    .startsWith(
                        "Bundle in ConfigMap "
                            + namespace
                            + "/fix-bundle is refused: bundle patches java.lang.String,"
                            + " a class of the JDK")
                    .contains("spec.allowJdkClasses: true"));
    assertThat(sidecars.touched(namespace)).isFalse();

    HotPatch allowed = get("fix");
    allowed.getSpec().setAllowJdkClasses(true);
    client.resource(allowed).update();

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    assertThat(sidecars.desiredFor(podUid))
        .singleElement()
        .satisfies(d -> assertThat(d.allowJdkClasses()).isTrue());
  }

  @Test
  void aMissingConfigMapIsDegradedUntilItAppears() {
    pod("checkout-a");
    byte[] bundle = TestBundles.priceFix(1);

    hotPatch("fix", Sha256.hex(bundle), spec -> {});

    awaitCondition("fix", "Degraded", "True", "BundleNotFound");
    assertThat(condition("fix", "Degraded"))
        .hasValueSatisfying(
            c ->
                assertThat(c.getMessage())
                    .contains("ConfigMap " + namespace + "/fix-bundle does not exist")
                    .contains("kubectl create configmap"));
    assertThat(sidecars.touched(namespace)).isFalse();

    bundleConfigMap("fix-bundle", bundle);

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    assertThat(condition("fix", "Degraded"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(sidecars.hotApplies(namespace, "checkout-a")).isEqualTo(1);
  }
}
