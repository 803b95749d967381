package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.Reason;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A spec the schema would refuse, and any reconcile failure, end in status as Degraded with a
 * reason.
 */
@OperatorOnMockApi
class InvalidSpecIT extends OperatorTestSupport {
  @Inject HotPatchReconciler reconciler;

  @Test
  void anInvalidSpecIsDegradedNamingTheFieldAndTouchesNoPod() {
    pod("checkout-a");
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    hotPatch("fix", sha, spec -> spec.getStrategy().setMaxParallel(new IntOrString("lots")));

    awaitCondition("fix", "Degraded", "True", Reason.InvalidSpec.name());
    assertThat(condition("fix", "Degraded"))
        .map(Condition::getMessage)
        .hasValue(
            "spec.strategy.maxParallel 'lots' is"
                + " neither a pod count of at least 1 nor a percentage from 1% to 100%: write e.g. 2 or 25%");
    eventually().untilAsserted(() -> assertThat(events(Reason.InvalidSpec.name())).hasSize(1));
    assertThat(sidecars.touched(namespace)).isFalse();
  }

  @Test
  void aReconcileFailureLandsInStatusAsDegraded() {
    HotPatch hotPatch = hotPatch("fix", Sha256.hex(TestBundles.priceFix(1)), spec -> {});

    var control =
        reconciler.updateErrorStatus(
            hotPatch, null, new IllegalStateException("the API server said 500"));

    assertThat(control.getResource())
        .hasValueSatisfying(
            updated ->
                assertThat(updated.getStatus().getConditions())
                    .filteredOn(c -> "Degraded".equals(c.getType()))
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getReason()).isEqualTo("ReconcileError");
                          assertThat(c.getMessage())
                              .contains("IllegalStateException: the API server said 500");
                        }));
  }
}
