package io.hotpatch.operator.channel.http;

/**
 * Who called the channel, as far as it is known, for the log line of a refusal.
 *
 * @param token a fingerprint of the bearer token (never the token), null when none was sent
 * @param username the TokenReview's user, null before or without a successful review
 * @param podClaim the pod the token is bound to ({@code namespace/name}), null when unknown
 */
public record Caller(String remote, String token, String username, String podClaim) {

  Caller withIdentity(String user, String pod) {
    return new Caller(remote, token, user, pod);
  }

  @Override
  public String toString() {
    return "user="
        + (username == null ? "-" : username)
        + " podClaim="
        + (podClaim == null ? "-" : podClaim)
        + " token="
        + (token == null ? "-" : token)
        + " from="
        + remote;
  }
}
