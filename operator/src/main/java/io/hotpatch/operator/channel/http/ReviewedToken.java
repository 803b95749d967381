package io.hotpatch.operator.channel.http;

import java.time.Instant;

/**
 * A token the TokenReview accepted, bound to an existing pod.
 *
 * @param podUid the uid of the pod as the API server has it now (it matched the token's claim)
 * @param validUntil when the operator must review the token again
 */
record ReviewedToken(
    String username, String podNamespace, String podName, String podUid, Instant validUntil) {

  String podClaim() {
    return podNamespace + "/" + podName;
  }
}
