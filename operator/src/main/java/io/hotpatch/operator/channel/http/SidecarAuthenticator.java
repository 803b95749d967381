package io.hotpatch.operator.channel.http;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.InOutCreateable;
import io.hotpatch.operator.channel.InformedPods;
import io.hotpatch.operator.channel.TargetPod;
import io.hotpatch.operator.config.OperatorSettings;
import io.hotpatch.operator.webhook.EphemeralContainerTemplate;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Proves which pod a channel request comes from: its bearer token must pass a TokenReview for the
 * operator's audience and be bound to exactly the pod named in the path, which must exist.
 */
@ApplicationScoped
public class SidecarAuthenticator {
  static final String POD_NAME_CLAIM = "authentication.kubernetes.io/pod-name";
  static final String POD_UID_CLAIM = "authentication.kubernetes.io/pod-uid";
  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
  private static final String FIX_TOKEN =
      "mount a projected service account token with audience %s" + " (HOTPATCH_TOKEN_FILE)";

  private final KubernetesClient client;

  /**
   * Made once: Fabric8 looks for a {@code TokenReviewList} class each time it makes this operation,
   * and each look throws and catches a ClassNotFoundException, twice per review.
   */
  private final InOutCreateable<TokenReview, TokenReview> tokenReviews;

  private final InformedPods pods;
  private final String audience;
  private final TokenReviewCache cache;
  private final RefusedReviewBudget budget;
  private final WorkerExecutor reviews;

  /** Reviews under way by token digest: concurrent requests with one token share one review. */
  private final Map<String, CompletableFuture<ReviewedToken>> inFlight = new ConcurrentHashMap<>();

  @Inject
  SidecarAuthenticator(
      KubernetesClient client, InformedPods pods, Vertx vertx, OperatorSettings settings) {
    OperatorSettings.Channel channel = settings.channel();
    this.client = client;
    this.tokenReviews = client.authentication().v1().tokenReviews();
    this.pods = pods;
    this.audience = channel.audience();
    this.cache =
        new TokenReviewCache(channel.tokenCacheTtl(), channel.refusalCacheTtl(), Clock.systemUTC());
    this.budget =
        new RefusedReviewBudget(
            channel.refusedReviewsPerSource(),
            channel.refusedReviewsWindow(),
            channel.reviewQueuePerSource(),
            channel.reviewQueueWait(),
            Clock.systemUTC());
    // The Fabric8 calls block: a small pool of their own keeps them off the event loop and bounds
    // the threads a burst of new sidecars can take.
    this.reviews =
        vertx.createSharedWorkerExecutor("hotpatch-token-review", channel.reviewThreads());
  }

  /** A request proven to come from the sidecar of {@code pod}. */
  public record Authenticated(TargetPod pod, Caller caller) {}

  @PreDestroy
  void close() {
    reviews.close();
  }

  /**
   * The pod the request may act for, or a failed Uni with a {@link ChannelRefusal}: 401 for a
   * missing, rejected or wrong-audience token, 403 for a valid token of another pod.
   */
  public Uni<Authenticated> authenticate(
      String authorization, String namespace, String pod, String remote) {
    Caller anonymous = new Caller(remote, null, null, null);
    if (authorization == null
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        || authorization.substring(7).isBlank()) {
      return Uni.createFrom()
          .failure(
              new ChannelRefusal(
                  401,
                  "no bearer token: send Authorization: Bearer <token>; "
                      + String.format(FIX_TOKEN, audience),
                  anonymous));
    }
    String token = authorization.substring(7).trim();
    String key = TokenReviewCache.key(token);
    // The log shows a prefix of the digest, enough to tell callers apart; the cache keys by all of
    // it.
    Caller caller = new Caller(remote, key.substring(0, 12), null, null);
    return Uni.createFrom()
        .deferred(() -> reviewed(token, key, caller))
        .map(r -> authorize(r, namespace, pod, caller));
  }

  /**
   * The token's review: cached, shared with a review under way, or a new one if the source may
   * still ask.
   */
  private Uni<ReviewedToken> reviewed(String token, String key, Caller caller) {
    Optional<ReviewedToken> known = known(key, caller);
    if (known.isPresent()) {
      return Uni.createFrom().item(known.get());
    }
    CompletableFuture<ReviewedToken> flight = new CompletableFuture<>();
    CompletableFuture<ReviewedToken> underWay = inFlight.putIfAbsent(key, flight);
    if (underWay != null) {
      return Uni.createFrom()
          .completionStage(underWay)
          .onFailure(ChannelRefusal.class)
          .transform(e -> ((ChannelRefusal) e).replayedTo(caller));
    }
    try {
      // Checked again: a review may have ended between the first look and this flight.
      Optional<ReviewedToken> ended = known(key, caller);
      if (ended.isPresent()) {
        flight.complete(ended.get());
      } else {
        String source = source(caller.remote());
        // A review that waited for its turn is let in by another review's thread: go back to the
        // request's own.
        Context requestContext = Vertx.currentContext();
        Executor resume =
            requestContext == null
                ? Runnable::run
                : task -> requestContext.runOnContext(v -> task.run());
        budget
            .admit(source, caller)
            .whenCompleteAsync(
                (turn, refused) -> {
                  if (refused != null) {
                    flight.completeExceptionally(refused);
                    return;
                  }
                  reviews
                      .executeBlocking(() -> review(token, key, source, caller), false)
                      .onComplete(
                          done -> {
                            if (done.succeeded()) {
                              flight.complete(done.result());
                            } else {
                              flight.completeExceptionally(done.cause());
                            }
                          });
                },
                resume);
      }
    } catch (ChannelRefusal refusal) {
      flight.completeExceptionally(refusal);
    }
    flight.whenComplete((r, e) -> inFlight.remove(key, flight));
    return Uni.createFrom().completionStage(flight);
  }

  /** The cached review of the token; a remembered refusal is thrown. */
  private Optional<ReviewedToken> known(String key, Caller caller) {
    Optional<ChannelRefusal> refused = cache.refusal(key, caller);
    if (refused.isPresent()) {
      throw refused.get();
    }
    return cache.get(key);
  }

  private ReviewedToken review(String token, String key, String source, Caller caller) {
    try {
      ReviewedToken fresh = review(token, caller);
      budget.release(source);
      cache.put(key, fresh);
      return fresh;
    } catch (ChannelRefusal refusal) {
      if (refusal.status()
          == ChannelRefusal.UNAVAILABLE) { // the API server's trouble, not the token's
        budget.release(source);
      } else {
        budget.refuse(source);
        cache.refuse(key, refusal);
      }
      throw refusal;
    } catch (RuntimeException unexpected) {
      budget.release(source);
      throw unexpected;
    }
  }

  /** The address without the port: one budget per client host, whatever ports it opens. */
  private static String source(String remote) {
    int colon = remote.lastIndexOf(':');
    return colon > 0 ? remote.substring(0, colon) : remote;
  }

  private static Authenticated authorize(
      ReviewedToken reviewed, String namespace, String pod, Caller caller) {
    Caller identified = caller.withIdentity(reviewed.username(), reviewed.podClaim());
    if (!reviewed.podNamespace().equals(namespace) || !reviewed.podName().equals(pod)) {
      throw new ChannelRefusal(
          403,
          "the token belongs to pod "
              + reviewed.podClaim()
              + ", not "
              + namespace
              + "/"
              + pod
              + ": a sidecar may only use its own pod's path (HOTPATCH_POD_NAMESPACE/HOTPATCH_POD_NAME)",
          identified);
    }
    return new Authenticated(new TargetPod(namespace, pod, reviewed.podUid(), null), identified);
  }

  private ReviewedToken review(String token, Caller caller) {
    // An ephemeral container has no projected token of its own: it sends its pod's service account
    // token, whose audience is the API server's. The review of that audience decides; the pod must
    // carry our container.
    boolean podToken = TokenReviewCache.jwtForAnotherAudience(token, audience);
    TokenReviewStatus status = tokenReview(token, podToken ? null : audience, caller);
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
      String error =
          status == null || status.getError() == null ? "not authenticated" : status.getError();
      throw new ChannelRefusal(
          401,
          "TokenReview rejected the token (" + error + "): " + String.format(FIX_TOKEN, audience),
          caller);
    }
    UserInfo user = status.getUser();
    String username = user == null ? null : user.getUsername();
    if (podToken) {
      return podTokenReviewed(token, user, caller);
    }
    if (status.getAudiences() == null || !status.getAudiences().contains(audience)) {
      throw new ChannelRefusal(
          401,
          "the token is not for audience "
              + audience
              + " (it is for "
              + status.getAudiences()
              + "): "
              + String.format(FIX_TOKEN, audience),
          caller.withIdentity(username, null));
    }
    Map<String, List<String>> extra = user.getExtra() == null ? Map.of() : user.getExtra();
    String podName = single(extra.get(POD_NAME_CLAIM));
    if (username == null || !username.startsWith(SERVICE_ACCOUNT_PREFIX) || podName == null) {
      throw new ChannelRefusal(
          403,
          "the token is not bound to a pod: " + String.format(FIX_TOKEN, audience),
          caller.withIdentity(username, null));
    }
    String namespace = username.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2)[0];
    Caller identified = caller.withIdentity(username, namespace + "/" + podName);
    String uidClaim = single(extra.get(POD_UID_CLAIM));
    Pod pod = pod(namespace, podName, p -> uidClaim == null || uidClaim.equals(uid(p)));
    if (pod == null || (uidClaim != null && !uidClaim.equals(pod.getMetadata().getUid()))) {
      throw notCurrentPod(namespace, podName, pod, "sidecar", identified);
    }
    return new ReviewedToken(
        username, namespace, podName, pod.getMetadata().getUid(), cache.validUntil(token));
  }

  /**
   * The refusal of a token whose pod is gone ({@code pod} null) or was replaced under its name:
   * {@code reader} must read its current pod's token.
   */
  private static ChannelRefusal notCurrentPod(
      String namespace, String podName, Pod pod, String reader, Caller identified) {
    return new ChannelRefusal(
        403,
        "the token's pod "
            + namespace
            + "/"
            + podName
            + (pod == null ? " does not exist" : " was replaced by another pod of the same name")
            + ": the "
            + reader
            + " must read the token of its current pod",
        identified);
  }

  /**
   * A pod's own service account token, accepted only from a pod the operator gave its ephemeral
   * container, and only bound to that pod (name and uid claims): any other pod's token is refused,
   * so it cannot stand in for a sidecar's.
   */
  private ReviewedToken podTokenReviewed(String token, UserInfo user, Caller caller) {
    String username = user == null ? null : user.getUsername();
    Map<String, List<String>> extra =
        user == null || user.getExtra() == null ? Map.of() : user.getExtra();
    String podName = single(extra.get(POD_NAME_CLAIM));
    String uidClaim = single(extra.get(POD_UID_CLAIM));
    if (username == null
        || !username.startsWith(SERVICE_ACCOUNT_PREFIX)
        || podName == null
        || uidClaim == null) {
      throw new ChannelRefusal(
          401,
          "the token is not for audience "
              + audience
              + " and not a pod-bound service"
              + " account token: "
              + String.format(FIX_TOKEN, audience),
          caller.withIdentity(username, null));
    }
    String namespace = username.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2)[0];
    Caller identified = caller.withIdentity(username, namespace + "/" + podName);
    Pod pod =
        pod(
            namespace,
            podName,
            p -> uidClaim.equals(uid(p)) && EphemeralContainerTemplate.hasEphemeral(p));
    if (pod == null || !uidClaim.equals(pod.getMetadata().getUid())) {
      throw notCurrentPod(namespace, podName, pod, "ephemeral container", identified);
    }
    if (!EphemeralContainerTemplate.hasEphemeral(pod)) {
      throw new ChannelRefusal(
          401,
          "the token is the pod's own service account token, accepted only from pods"
              + " the operator gave its ephemeral container "
              + EphemeralContainerTemplate.NAME
              + ": "
              + String.format(FIX_TOKEN, audience),
          identified);
    }
    return new ReviewedToken(username, namespace, podName, uidClaim, cache.validUntil(token));
  }

  /**
   * The token's pod: the informer's copy when it passes {@code accepted}, else the API server's
   * (null when gone). The informer lags: a pod created, replaced or given its ephemeral container a
   * moment ago is read from the API server, which decides; a deleted pod's bound token fails the
   * TokenReview before this.
   */
  private Pod pod(String namespace, String name, Predicate<Pod> accepted) {
    return pods.get(namespace, name)
        .filter(accepted)
        .orElseGet(() -> client.pods().inNamespace(namespace).withName(name).get());
  }

  private static String uid(Pod pod) {
    return pod.getMetadata().getUid();
  }

  /**
   * @param audienceOrNull null asks for the API server's own audiences
   */
  private TokenReviewStatus tokenReview(String token, String audienceOrNull, Caller caller) {
    TokenReview request =
        new TokenReviewBuilder()
            .withNewSpec()
            .withToken(token)
            .withAudiences(audienceOrNull == null ? List.of() : List.of(audienceOrNull))
            .endSpec()
            .build();
    try {
      return tokenReviews.create(request).getStatus();
    } catch (KubernetesClientException e) {
      // A timeout comes without a message: it must still be a 503, not a 500 from a
      // NullPointerException.
      String cause = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new ChannelRefusal(
          503,
          "TokenReview failed ("
              + cause
              + "): grant the operator create on"
              + " tokenreviews.authentication.k8s.io",
          caller);
    }
  }

  private static String single(List<String> values) {
    return values == null || values.size() != 1 ? null : values.get(0);
  }
}
