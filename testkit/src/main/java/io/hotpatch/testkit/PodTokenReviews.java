package io.hotpatch.testkit;

import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What an API server's TokenReview answers for a pod's own service account token. */
public final class PodTokenReviews {
  private PodTokenReviews() {}

  /**
   * An authenticated token of {@code namespace}'s default service account, for {@code audiences},
   * bound to the pod {@code podName} with uid {@code podUid}.
   */
  public static TokenReviewStatus podBound(
      String namespace, String podName, String podUid, List<String> audiences) {
    return new TokenReviewStatusBuilder()
        .withAuthenticated(true)
        .withAudiences(audiences)
        .withNewUser()
        .withUsername("system:serviceaccount:" + namespace + ":default")
        .withUid(UUID.randomUUID().toString())
        .withGroups(
            "system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated")
        .withExtra(
            Map.of(
                "authentication.kubernetes.io/pod-name",
                List.of(podName),
                "authentication.kubernetes.io/pod-uid",
                List.of(podUid)))
        .endUser()
        .build();
  }
}
