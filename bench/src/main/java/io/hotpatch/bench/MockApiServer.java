package io.hotpatch.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.hotpatch.testkit.PodTokenReviews;
import io.hotpatch.testkit.StandInPods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Fabric8 mock API server in CRUD mode (with server-side apply added), standing in for a
 * cluster's API server: serves the HotPatch CRD from {@code crds/}, grants leader election its
 * Lease, and answers TokenReviews for the pod tokens it issued, as a real API server does for
 * projected service account tokens.
 */
public final class MockApiServer implements AutoCloseable {
  static final String AUDIENCE = "hotpatch-operator";

  /** The audience of the service account tokens the API server itself accepts. */
  static final String API_AUDIENCE = "https://kubernetes.default.svc";

  private static final String CRD = "crds/hotpatches.hotpatch.io-v1.yml";

  /** Held so that the quieting stays: the mock server logs every request at INFO otherwise. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  /** Held likewise: v1alpha1 is our version, a warning about it on each run says nothing. */
  private static final Logger VERSION_LOG =
      Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    VERSION_LOG.setLevel(Level.SEVERE);
  }

  private final ServerSideApplyDispatcher dispatcher;
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Map<String, TokenReviewStatus> statusByToken = new ConcurrentHashMap<>();
  private final AtomicInteger tokenReviews = new AtomicInteger();

  private MockApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    dispatcher = new ServerSideApplyDispatcher(responses);
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            dispatcher,
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    server
        .expect()
        .post()
        .withPath("/apis/authentication.k8s.io/v1/tokenreviews")
        .andReply(200, this::review)
        .always();
    // Leader election checks its Lease access at start; grant what the chart's Role grants.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReply(200, request -> Serialization.asJson(leaseAccess()))
        .always();
    client = server.createClient();
  }

  /** Starts the server with the HotPatch CRD installed. */
  public static MockApiServer start() {
    MockApiServer api = new MockApiServer();
    try (InputStream crd = MockApiServer.class.getClassLoader().getResourceAsStream(CRD)) {
      if (crd == null) {
        throw new IllegalStateException(
            CRD + " is not on the class path: build the bench module with Maven");
      }
      api.client.resource(Serialization.unmarshal(crd, CustomResourceDefinition.class)).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return api;
  }

  /** The server-side applies it served, which is how the operator writes status. */
  ServerSideApplyDispatcher applies() {
    return dispatcher;
  }

  public KubernetesClient client() {
    return client;
  }

  /** The URL an in-cluster client would have in its kubeconfig. */
  public String url() {
    return client.getConfiguration().getMasterUrl();
  }

  /**
   * The projected token kubelet mounts into a pod's sidecar (audience hotpatch-operator, bound to
   * the pod).
   */
  public String issueToken(String namespace, String podName, String podUid) {
    String token = "fleet-" + UUID.randomUUID();
    statusByToken.put(
        token, PodTokenReviews.podBound(namespace, podName, podUid, List.of(AUDIENCE)));
    return token;
  }

  /**
   * The pod's own service account token (the kubelet's kube-api-access volume), bound to the pod,
   * for the API server's audience: a JWT whose claims say so (unsigned: only this server's
   * TokenReview vouches for it).
   */
  public String issueServiceAccountToken(String namespace, String podName, String podUid) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String claims =
        "{\"aud\":[\""
            + API_AUDIENCE
            + "\"],\"sub\":\"system:serviceaccount:"
            + namespace
            + ":default\",\"jti\":\""
            + UUID.randomUUID()
            + "\"}";
    String token =
        base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
            + ".stand-in";
    statusByToken.put(
        token, PodTokenReviews.podBound(namespace, podName, podUid, List.of(API_AUDIENCE)));
    return token;
  }

  /**
   * Serves PATCH pods/{@code pod}/ephemeralcontainers, which CRUD mode does not, as the API server
   * does for a strategic merge patch: ephemeral containers merged by name, never removed or
   * changed. The store is written right after the answer (the mock's event loop cannot serve a read
   * or write while it answers), which is the patch itself.
   */
  public void serveEphemeralContainers(String namespace, String pod) {
    server
        .expect()
        .patch()
        .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/ephemeralcontainers")
        .andReply(
            200,
            request -> {
              Pod patch = Serialization.unmarshal(request.getUtf8Body(), Pod.class);
              CompletableFuture.runAsync(
                  () -> StandInPods.storeEphemeralContainers(client, namespace, pod, patch));
              return Serialization.asJson(patch);
            })
        .always();
  }

  private static SelfSubjectRulesReview leaseAccess() {
    return new SelfSubjectRulesReviewBuilder()
        .withNewMetadata()
        .endMetadata()
        .withNewSpec()
        .withNamespace(OperatorProcess.NAMESPACE)
        .endSpec()
        .withNewStatus()
        .withIncomplete(false)
        .addNewResourceRule()
        .withApiGroups("coordination.k8s.io")
        .withResources("leases")
        .withVerbs("get", "create", "update")
        .endResourceRule()
        .endStatus()
        .build();
  }

  private Object review(RecordedRequest request) {
    tokenReviews.incrementAndGet();
    TokenReview review = Serialization.unmarshal(request.getUtf8Body(), TokenReview.class);
    review.setStatus(
        statusByToken.getOrDefault(
            review.getSpec().getToken(),
            new TokenReviewStatusBuilder()
                .withAuthenticated(false)
                .withError("invalid bearer token")
                .build()));
    return Serialization.asJson(review);
  }

  /** How many TokenReviews the server answered. */
  public int tokenReviews() {
    return tokenReviews.get();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
