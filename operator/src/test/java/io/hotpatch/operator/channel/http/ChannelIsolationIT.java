package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.core.Sha256;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.channel.PatchKey;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pod sees only its own desired state and bundles, and reports only about its own patches; others
 * surface as Events.
 */
@OperatorOnMockApi
class ChannelIsolationIT extends ChannelTestSupport {
  private static final Map<String, String> BILLING = Map.of("app", "billing");
  private Pod checkout;
  private Pod billing;
  private String checkoutSha;
  private String billingSha;
  private String checkoutToken;

  @BeforeEach
  void twoPatchesForTwoApps() {
    checkout = sidecarPod("checkout-a", APP, "127.0.0.21");
    billing = sidecarPod("billing-a", BILLING, "127.0.0.22");
    checkoutSha = bundleConfigMap("checkout-fix-bundle", TestBundles.priceFix(1));
    billingSha = bundleConfigMap("billing-fix-bundle", TestBundles.priceFix(2));
    hotPatch("checkout-fix", checkoutSha, spec -> {});
    hotPatch("billing-fix", billingSha, spec -> spec.getSelector().setMatchLabels(BILLING));
    eventually()
        .until(
            () ->
                !sidecars.desiredFor(checkout.getMetadata().getUid()).isEmpty()
                    && !sidecars.desiredFor(billing.getMetadata().getUid()).isEmpty());
    checkoutToken = TokenReviews.podToken(checkout);
  }

  @Test
  void aPodGetsOnlyItsOwnDesiredState() {
    DesiredState state =
        SidecarClient.state(sidecar.desired(namespace, "checkout-a", checkoutToken, null, 1));

    assertThat(state.getPatches())
        .singleElement()
        .satisfies(
            order -> {
              assertThat(order.getPatch()).isEqualTo(namespace + "/checkout-fix");
              assertThat(order.getSha256()).isEqualTo(checkoutSha);
              assertThat(order.getAction()).isEqualTo(PatchOrder.Action.APPLY);
              assertThat(order.isHotAllowed()).isTrue();
            });
    assertThat(state.getRevision())
        .isNotEqualTo(
            SidecarClient.state(
                    sidecar.desired(
                        namespace, "billing-a", TokenReviews.podToken(billing), null, 1))
                .getRevision());
  }

  @Test
  void aPodGetsItsOwnBundleAndNoOther() {
    HttpResponse<byte[]> own = sidecar.bundle(namespace, "checkout-a", checkoutToken, checkoutSha);
    HttpResponse<byte[]> foreign =
        sidecar.bundle(namespace, "checkout-a", checkoutToken, billingSha);

    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.headers().firstValue("Content-Type")).hasValue(ChannelResource.JAVA_ARCHIVE);
    assertThat(Sha256.hex(own.body())).isEqualTo(checkoutSha);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(new String(foreign.body()))
        .contains("no bundle " + billingSha + " is desired for pod");
    assertThat(channelLog)
        .anySatisfy(
            line -> assertThat(line).contains("with 404", "podClaim=" + namespace + "/checkout-a"));
  }

  @Test
  void aReportAboutAnotherPodsPatchIsIgnored() {
    HttpResponse<String> response =
        sidecar.report(
            namespace,
            "checkout-a",
            checkoutToken,
            applied(namespace + "/billing-fix", billingSha));

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(sidecars.report(ref(checkout), new PatchKey(namespace, "billing-fix"))).isEmpty();
    assertThat(sidecars.report(ref(billing), new PatchKey(namespace, "billing-fix"))).isEmpty();
    assertThat(stateOf("billing-fix", "billing-a")).isNull();
    eventually()
        .untilAsserted(
            () ->
                assertThat(events(Reason.UnplacedOutcome.name()))
                    .singleElement()
                    .satisfies(
                        event -> {
                          assertThat(event.getType()).isEqualTo("Warning");
                          assertThat(event.getInvolvedObject().getKind()).isEqualTo("HotPatch");
                          assertThat(event.getInvolvedObject().getName()).isEqualTo("billing-fix");
                          assertThat(event.getMessage())
                              .startsWith(
                                  "Pod "
                                      + namespace
                                      + "/checkout-a reported APPLIED for HotPatch "
                                      + namespace
                                      + "/billing-fix")
                              .contains("which is not desired for the pod");
                        }));
  }

  @Test
  void anOutcomeForADeletedHotPatchOfTheSameNameIsNotCreditedToTheNewOne() {
    PodReport stale = applied(namespace + "/checkout-fix", checkoutSha);
    stale.getOutcomes().get(0).setUid("uid-of-a-deleted-hotpatch");

    HttpResponse<String> response = sidecar.report(namespace, "checkout-a", checkoutToken, stale);

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(sidecars.report(ref(checkout), new PatchKey(namespace, "checkout-fix"))).isEmpty();
    eventually()
        .untilAsserted(
            () ->
                assertThat(events(Reason.UnplacedOutcome.name()))
                    .singleElement()
                    .satisfies(
                        event ->
                            assertThat(event.getMessage())
                                .contains(
                                    "uid uid-of-a-deleted-hotpatch",
                                    "was deleted and created again")));
  }

  @Test
  void anOutcomeForAHotPatchThatDoesNotExistIsNotedOnThePodOncePerQuietPeriod() {
    for (int i = 0; i < 3; i++) {
      assertThat(
              sidecar
                  .report(
                      namespace,
                      "checkout-a",
                      checkoutToken,
                      applied(namespace + "/gone", checkoutSha))
                  .statusCode())
          .isEqualTo(204);
    }

    eventually()
        .untilAsserted(
            () ->
                assertThat(events(Reason.UnplacedOutcome.name()))
                    .singleElement()
                    .satisfies(
                        event -> {
                          assertThat(event.getInvolvedObject().getKind()).isEqualTo("Pod");
                          assertThat(event.getInvolvedObject().getName()).isEqualTo("checkout-a");
                        }));
  }
}
