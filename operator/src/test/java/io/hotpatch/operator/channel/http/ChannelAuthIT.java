package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.channel.PatchKey;
import io.hotpatch.operator.webhook.EphemeralContainerTemplate;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may use the channel: only a sidecar with its own pod's token for the operator's audience.
 * Every refusal is logged with the caller and changes nothing.
 */
@OperatorOnMockApi
class ChannelAuthIT extends ChannelTestSupport {
  private Pod checkoutA;
  private Pod checkoutB;
  private String sha;

  @BeforeEach
  void patchedPods() {
    checkoutA = sidecarPod("checkout-a", APP, "127.0.0.11");
    checkoutB = sidecarPod("checkout-b", APP, "127.0.0.12");
    sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", sha, spec -> {});
    eventually().until(() -> !sidecars.desiredFor(checkoutA.getMetadata().getUid()).isEmpty());
  }

  @Test
  void aRequestWithoutTokenGets401() {
    HttpResponse<String> response = sidecar.desired(namespace, "checkout-a", null, null, 1);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).startsWith("{\"error\":\"no bearer token");
    assertRefusalLogged("with 401", "user=- podClaim=- token=- from=127.0.0.1:");
    assertNothingChangedFor(
        checkoutA,
        sidecar.report(namespace, "checkout-a", null, applied(key(), sha)),
        sidecar.bundle(namespace, "checkout-a", null, sha));
  }

  @Test
  void aForgedTokenGets401() {
    String forged = TokenReviews.forged();

    HttpResponse<String> response = sidecar.desired(namespace, "checkout-a", forged, null, 1);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("TokenReview rejected the token (invalid bearer token)");
    assertRefusalLogged("with 401", "user=- podClaim=- token=", "from=127.0.0.1:");
    assertNothingChangedFor(
        checkoutA,
        sidecar.report(namespace, "checkout-a", forged, applied(key(), sha)),
        sidecar.bundle(namespace, "checkout-a", forged, sha));
  }

  @Test
  void aTokenForAnotherAudienceGets401() {
    String token = TokenReviews.tokenForAudience(checkoutA, "https://kubernetes.default.svc");

    HttpResponse<String> response = sidecar.desired(namespace, "checkout-a", token, null, 1);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("not for audience hotpatch-operator");
    assertRefusalLogged("with 401", "user=system:serviceaccount:" + namespace + ":default");
    assertNothingChangedFor(
        checkoutA,
        sidecar.report(namespace, "checkout-a", token, applied(key(), sha)),
        sidecar.bundle(namespace, "checkout-a", token, sha));
  }

  @Test
  void thePodsOwnTokenIsAcceptedOnlyFromAPodWithTheOperatorsEphemeralContainer() {
    String tokenOfA = TokenReviews.serviceAccountToken(checkoutA);

    HttpResponse<String> refused = sidecar.desired(namespace, "checkout-a", tokenOfA, null, 1);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body())
        .contains("accepted only from pods the operator gave its ephemeral container hotpatch");

    Pod ephemeralB =
        client
            .pods()
            .inNamespace(namespace)
            .withName("checkout-b")
            .edit(
                p ->
                    new PodBuilder(p)
                        .editSpec()
                        .addNewEphemeralContainer()
                        .withName(EphemeralContainerTemplate.NAME)
                        .withImage("sidecar")
                        .withTargetContainerName("app")
                        .endEphemeralContainer()
                        .endSpec()
                        .build());
    String tokenOfB = TokenReviews.serviceAccountToken(ephemeralB);
    assertThat(sidecar.desired(namespace, "checkout-b", tokenOfB, null, 1).statusCode())
        .isEqualTo(200);
    HttpResponse<String> otherPod = sidecar.desired(namespace, "checkout-a", tokenOfB, null, 1);
    assertThat(otherPod.statusCode()).as("bound to its own pod").isEqualTo(403);
    assertThat(otherPod.body()).contains("the token belongs to pod " + namespace + "/checkout-b");
  }

  @Test
  void anotherPodsTokenGets403() {
    String tokenOfB = TokenReviews.podToken(checkoutB);

    HttpResponse<String> response = sidecar.desired(namespace, "checkout-a", tokenOfB, null, 1);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("the token belongs to pod " + namespace + "/checkout-b");
    assertRefusalLogged(
        "with 403",
        "user=system:serviceaccount:"
            + namespace
            + ":default podClaim="
            + namespace
            + "/checkout-b",
        "from=127.0.0.1:");
    assertNothingChangedFor(
        checkoutA,
        sidecar.report(namespace, "checkout-a", tokenOfB, applied(key(), sha)),
        sidecar.bundle(namespace, "checkout-a", tokenOfB, sha));
  }

  @Test
  void aTokenOfAnEarlierPodOfTheSameNameGets403() {
    String stale = TokenReviews.tokenOfEarlierPod(checkoutA);

    HttpResponse<String> response = sidecar.desired(namespace, "checkout-a", stale, null, 1);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("was replaced by another pod of the same name");
    assertRefusalLogged("with 403", "podClaim=" + namespace + "/checkout-a");
  }

  @Test
  void plainHttpNeverReachesTheChannelNorCostsAReview() {
    SidecarClient plain = new SidecarClient(management);
    int reviews = TokenReviews.reviews();

    HttpResponse<String> response =
        plain.desired(namespace, "checkout-a", TokenReviews.podToken(checkoutA), null, 1);

    plain.close();
    assertThat(response.statusCode())
        .as("the plain HTTP port serves health and metrics only")
        .isEqualTo(404);
    assertThat(TokenReviews.reviews()).isEqualTo(reviews);
  }

  @Test
  void theOwnTokenIsReviewedOnceAndThenServedFromTheCache() {
    String token = TokenReviews.podToken(checkoutA);
    int reviews = TokenReviews.reviews();

    HttpResponse<String> first = sidecar.desired(namespace, "checkout-a", token, null, 1);
    HttpResponse<String> second = sidecar.desired(namespace, "checkout-a", token, null, 1);

    assertThat(List.of(first.statusCode(), second.statusCode())).containsOnly(200);
    assertThat(TokenReviews.reviews() - reviews).isEqualTo(1);
    assertThat(SidecarClient.state(second).getPatches())
        .extracting(p -> p.getPatch())
        .containsExactly(key());
  }

  @Test
  void aCachedTokenOfAReplacedPodActsOnlyForThePodItWasReviewedFor() {
    String stale = TokenReviews.podToken(checkoutA);
    assertThat(sidecar.desired(namespace, "checkout-a", stale, null, 1).statusCode())
        .isEqualTo(200);
    client.pods().inNamespace(namespace).withName("checkout-a").delete();
    Pod replacement = sidecarPod("checkout-a", APP, "127.0.0.11");
    assertThat(replacement.getMetadata().getUid()).isNotEqualTo(checkoutA.getMetadata().getUid());
    int reviews = TokenReviews.reviews();

    HttpResponse<String> report =
        sidecar.report(namespace, "checkout-a", stale, applied(key(), sha));

    assertThat(TokenReviews.reviews() - reviews).as("served from the cache").isZero();
    assertThat(report.statusCode()).isLessThan(300);
    PatchKey fix = new PatchKey(namespace, "fix");
    assertThat(sidecars.report(ref(checkoutA), fix)).as("the reviewed pod's").isPresent();
    assertThat(sidecars.report(ref(replacement), fix)).isEmpty();
  }

  @Test
  void aRefusedTokenIsReviewedOnceWhileItsRefusalIsRemembered() {
    String forged = TokenReviews.forged();
    int reviews = TokenReviews.reviews();

    HttpResponse<String> first = sidecar.desired(namespace, "checkout-a", forged, null, 1);
    HttpResponse<String> second = sidecar.desired(namespace, "checkout-a", forged, null, 1);

    assertThat(List.of(first.statusCode(), second.statusCode())).containsOnly(401);
    assertThat(second.body()).isEqualTo(first.body()).contains("TokenReview rejected the token");
    assertThat(TokenReviews.reviews() - reviews).isEqualTo(1);
  }

  private String key() {
    return namespace + "/fix";
  }

  private void assertRefusalLogged(String... parts) {
    assertThat(channelLog).anySatisfy(line -> assertThat(line).contains(parts));
  }

  /** The refused report was not stored and the refused bundle request got an error, not the jar. */
  private void assertNothingChangedFor(
      Pod pod, HttpResponse<String> report, HttpResponse<byte[]> bundle) {
    assertThat(report.statusCode()).isIn(401, 403);
    assertThat(bundle.statusCode()).isIn(401, 403);
    assertThat(new String(bundle.body())).startsWith("{\"error\":");
    assertThat(sidecars.report(ref(pod), new PatchKey(namespace, "fix"))).isEmpty();
    assertThat(stateOf("fix", pod.getMetadata().getName())).isNull();
  }
}
