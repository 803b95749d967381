package io.hotpatch.operator.channel.http;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.hotpatch.testkit.PodTokenReviews;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API server's TokenReview in the mock API: answers for the tokens a test issued, as a real API
 * server does for projected service account tokens, and rejects every other token.
 */
public final class TokenReviews {
  public static final String AUDIENCE = "hotpatch-operator";
  private static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
  private static final Map<String, TokenReviewStatus> STATUS_BY_TOKEN = new ConcurrentHashMap<>();
  private static final Set<KubernetesServer> INSTALLED = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger REVIEWS = new AtomicInteger();

  private TokenReviews() {}

  /** Makes the mock API answer TokenReviews (once per mock server; the expectation stays). */
  public static void install(KubernetesServer server) {
    if (INSTALLED.add(server)) {
      server.expect().post().withPath(PATH).andReply(200, TokenReviews::answer).always();
    }
  }

  /** The projected token kubelet mounts into the pod's sidecar. */
  public static String podToken(Pod pod) {
    return issue(pod, List.of(AUDIENCE), pod.getMetadata().getUid());
  }

  /** A valid token of the pod, but for another audience (the API server's default one, say). */
  public static String tokenForAudience(Pod pod, String audience) {
    return issue(pod, List.of(audience), pod.getMetadata().getUid());
  }

  /** The API server's audience, as the kubelet's own service account token of a pod carries it. */
  public static final String API_AUDIENCE = "https://kubernetes.default.svc.cluster.local";

  /**
   * The pod's own service account token (the kube-api-access volume of the app container): a JWT
   * for the API server's audience, bound to the pod, which an ephemeral container reads through
   * /proc/<pid>/root.
   */
  public static String serviceAccountToken(Pod pod) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String token =
        base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + base64.encodeToString(
                ("{\"aud\":[\""
                        + API_AUDIENCE
                        + "\"],\"sub\":\"system:serviceaccount:"
                        + pod.getMetadata().getNamespace()
                        + ":default\"}")
                    .getBytes(StandardCharsets.UTF_8))
            + "."
            + UUID.randomUUID();
    STATUS_BY_TOKEN.put(token, podBound(pod, List.of(API_AUDIENCE), pod.getMetadata().getUid()));
    return token;
  }

  /** A token bound to a pod of that name with another uid: an earlier pod of the same name. */
  public static String tokenOfEarlierPod(Pod pod) {
    return issue(pod, List.of(AUDIENCE), UUID.randomUUID().toString());
  }

  /** A token no API server issued. */
  public static String forged() {
    return "eyJhbGciOiJSUzI1NiJ9.forged." + UUID.randomUUID();
  }

  /** How many TokenReviews the mock API answered so far. */
  public static int reviews() {
    return REVIEWS.get();
  }

  private static String issue(Pod pod, List<String> audiences, String podUid) {
    String token = "token-" + UUID.randomUUID();
    STATUS_BY_TOKEN.put(token, podBound(pod, audiences, podUid));
    return token;
  }

  private static TokenReviewStatus podBound(Pod pod, List<String> audiences, String podUid) {
    return PodTokenReviews.podBound(
        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), podUid, audiences);
  }

  private static Object answer(RecordedRequest request) {
    REVIEWS.incrementAndGet();
    TokenReview review = Serialization.unmarshal(request.getUtf8Body(), TokenReview.class);
    TokenReviewStatus status = STATUS_BY_TOKEN.get(review.getSpec().getToken());
    // As the API server: no audiences asked means its own; a JWT for none of the asked ones is
    // refused.
    List<String> asked =
        review.getSpec().getAudiences() == null || review.getSpec().getAudiences().isEmpty()
            ? List.of(API_AUDIENCE)
            : review.getSpec().getAudiences();
    boolean jwt = review.getSpec().getToken().split("\\.").length == 3;
    if (status != null && jwt && status.getAudiences().stream().noneMatch(asked::contains)) {
      status = null;
    }
    review.setStatus(
        status != null
            ? status
            : new TokenReviewStatusBuilder()
                .withAuthenticated(false)
                .withError("invalid bearer token")
                .build());
    return Serialization.asJson(review);
  }
}
