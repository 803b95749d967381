package io.hotpatch.operator.channel.http;

import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.operator.channel.ChannelLeadership;
import io.hotpatch.operator.channel.DesiredPatch;
import io.hotpatch.operator.channel.InMemorySidecarGateway;
import io.hotpatch.operator.channel.PatchKey;
import io.hotpatch.operator.channel.http.SidecarAuthenticator.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The operator's end of the sidecar channel, served on the HTTPS port only: each pod's sidecar
 * long-polls its desired state, fetches the bundles desired for it and reports what its JVM did.
 */
@Path("/channel/v1/namespaces/{namespace}/pods/{pod}")
public class ChannelResource {
  static final String JAVA_ARCHIVE = "application/java-archive";

  @Inject SidecarAuthenticator authenticator;
  @Inject DesiredStateBroadcaster broadcaster;
  @Inject InMemorySidecarGateway gateway;
  @Inject ChannelLeadership leadership;
  @Inject UnplacedOutcomes unplaced;

  /**
   * The pod's desired state, held until it differs from {@code revision} or {@code waitSeconds}
   * pass.
   */
  @GET
  @Path("desired")
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<DesiredState> desired(
      @RestPath String namespace,
      @RestPath String pod,
      @RestQuery String revision,
      @RestQuery @DefaultValue("30") int waitSeconds,
      @RestHeader("Authorization") String authorization,
      HttpServerRequest request) {
    return authenticate(authorization, namespace, pod, request)
        .flatMap(
            caller -> {
              if (waitSeconds < 1 || waitSeconds > 60) {
                throw new ChannelRefusal(
                    400,
                    "waitSeconds=" + waitSeconds + " is out of range: use 1..60",
                    caller.caller());
              }
              return broadcaster.next(
                  caller.pod().uid(), revision, Duration.ofSeconds(waitSeconds));
            });
  }

  /** The bytes of a bundle desired for this pod; 404 for any other digest. */
  @GET
  @Path("bundles/{sha256}")
  @Produces(JAVA_ARCHIVE)
  public Uni<Response> bundle(
      @RestPath String namespace,
      @RestPath String pod,
      @RestPath String sha256,
      @RestHeader("Authorization") String authorization,
      HttpServerRequest request) {
    return authenticate(authorization, namespace, pod, request)
        .map(
            caller ->
                gateway.desiredFor(caller.pod().uid()).stream()
                    .filter(
                        d ->
                            d.action() == DesiredPatch.Action.APPLY
                                && d.bundle() != null
                                && d.sha256().equals(sha256))
                    .findFirst()
                    .map(d -> Response.ok(d.bundle(), JAVA_ARCHIVE).build())
                    .orElseThrow(
                        () ->
                            new ChannelRefusal(
                                404,
                                "no bundle "
                                    + sha256
                                    + " is desired for pod "
                                    + namespace
                                    + "/"
                                    + pod
                                    + ": fetch only the sha256 values its desired state lists",
                                caller.caller())));
  }

  /**
   * Records what the pod's JVM did with each patch desired for it, and with patches of a cached
   * HotPatch of its namespace (same uid) this replica has not reached the pod with yet; other
   * outcomes are noted, not used.
   */
  @POST
  @Path("report")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<Void> report(
      @RestPath String namespace,
      @RestPath String pod,
      @RestHeader("Authorization") String authorization,
      HttpServerRequest request,
      PodReport report) {
    return authenticate(authorization, namespace, pod, request)
        .map(
            caller -> {
              if (report == null) {
                throw new ChannelRefusal(
                    400, "empty report: POST a PodReport as JSON", caller.caller());
              }
              String podUid = caller.pod().uid();
              Map<PatchKey, String> desiredUids =
                  gateway.desiredFor(podUid).stream()
                      .collect(Collectors.toMap(DesiredPatch::key, DesiredPatch::uid, (a, b) -> a));
              Instant jvmStartedAt =
                  report.getJvmStartMillis() > 0
                      ? Instant.ofEpochMilli(report.getJvmStartMillis())
                      : null;
              for (PatchOutcome outcome :
                  report.getOutcomes() == null ? List.<PatchOutcome>of() : report.getOutcomes()) {
                PatchKey key = keyOf(outcome.getPatch());
                String desiredUid = key == null ? null : desiredUids.get(key);
                if (desiredUid == null) {
                  // A replica that took over, or restarted, knows the pods its status listed; what
                  // another replica applied elsewhere it learns here, before it tells the pod's
                  // sidecar to drop the patch's startup bundle.
                  if (key != null
                      && key.namespace().equals(namespace)
                      && outcome.getUid() != null
                      && leadership.serves(key, outcome.getUid())) {
                    gateway.accept(podUid, key, stored(outcome, report, jvmStartedAt));
                  } else {
                    unplaced.note(caller.pod(), outcome, "is not desired for the pod");
                  }
                  continue;
                }
                if (outcome.getUid() != null
                    && !outcome.getUid().isEmpty()
                    && !outcome.getUid().equals(desiredUid)) {
                  unplaced.note(
                      caller.pod(),
                      outcome,
                      "was deleted and created again (uid now " + desiredUid + ")");
                  continue;
                }
                gateway.accept(podUid, key, stored(outcome, report, jvmStartedAt));
              }
              return null;
            });
  }

  private Uni<Authenticated> authenticate(
      String authorization, String namespace, String pod, HttpServerRequest request) {
    String remote =
        request.remoteAddress() == null
            ? "unknown"
            : request.remoteAddress().hostAddress() + ":" + request.remoteAddress().port();
    // Before the TokenReview: a replica that must not answer costs the sidecar one cheap round
    // trip.
    Optional<String> notServing = leadership.refusal();
    if (notServing.isPresent()) {
      return Uni.createFrom()
          .failure(
              ChannelRefusal.notServing(notServing.get(), new Caller(remote, null, null, null)));
    }
    return authenticator.authenticate(authorization, namespace, pod, remote);
  }

  private static io.hotpatch.operator.channel.PodReport stored(
      PatchOutcome outcome, PodReport report, Instant jvmStartedAt) {
    String message =
        outcome.getMessage() == null || outcome.getMessage().isEmpty()
            ? report.getMessage()
            : outcome.getMessage();
    return new io.hotpatch.operator.channel.PodReport(
        outcome.getSha256(),
        outcome.getState(),
        outcome.getMethod(),
        message,
        jvmStartedAt,
        outcome.getHealth(),
        Objects.requireNonNullElse(outcome.getHealthMessage(), ""));
  }

  private static PatchKey keyOf(String patch) {
    int slash = patch == null ? -1 : patch.indexOf('/');
    return slash <= 0 || slash == patch.length() - 1
        ? null
        : new PatchKey(patch.substring(0, slash), patch.substring(slash + 1));
  }
}
