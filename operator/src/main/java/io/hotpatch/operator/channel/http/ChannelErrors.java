package io.hotpatch.operator.channel.http;

import io.hotpatch.operator.config.OperatorSettings;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Logs refused channel requests with the caller's identity, a bounded number of lines a minute (a
 * flood of bad requests must not flood the log), and answers {"error": ...}. A 503 (not the leader,
 * not ready yet, busy) is routine, so it is logged at debug; from a replica that does not serve the
 * channel it closes the connection so that the sidecar's retry is balanced afresh rather than kept
 * on this replica.
 */
public class ChannelErrors {
  private static final Logger LOG = Logger.getLogger(ChannelErrors.class);
  private final RateLimitedLog refusals;

  @Inject
  ChannelErrors(OperatorSettings settings) {
    this.refusals =
        new RateLimitedLog(
            settings.channel().refusalLogLinesPerMinute(),
            Duration.ofMinutes(1),
            Clock.systemUTC(),
            LOG::warn);
  }

  @ServerExceptionMapper
  Response refused(ChannelRefusal refusal, UriInfo uri) {
    String line =
        "Channel refused "
            + uri.getPath()
            + " with "
            + refusal.status()
            + ": "
            + refusal.getMessage()
            + " ["
            + refusal.caller()
            + "]";
    Response.ResponseBuilder response =
        Response.status(refusal.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(Map.of("error", refusal.getMessage()));
    if (refusal.status() == ChannelRefusal.UNAVAILABLE) {
      LOG.debug(line);
      response.header(HttpHeaders.RETRY_AFTER, ChannelRefusal.RETRY_AFTER_SECONDS);
      if (refusal.closesConnection()) {
        response.header("Connection", "close");
      }
      return response.build();
    }
    refusals.log(line);
    return response.build();
  }
}
