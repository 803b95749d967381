package io.hotpatch.operator.channel.http;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Logs refused channel requests with the caller's identity, a bounded number of lines a minute (a
 * flood of bad requests must not flood the log), and answers {"error": ...}.
 */
public class ChannelErrors {
  private static final Logger LOG = Logger.getLogger(ChannelErrors.class);
  private final RateLimitedLog refusals;

  @Inject
  ChannelErrors(@ConfigProperty(name = "hotpatch.channel.refusal-log-lines-per-minute", defaultValue = "30")
      int linesPerMinute) {
    this.refusals = new RateLimitedLog(linesPerMinute, Duration.ofMinutes(1), Clock.systemUTC(), LOG::warn);
  }

  @ServerExceptionMapper
  Response refused(ChannelRefusal refusal, UriInfo uri) {
    refusals.log("Channel refused " + uri.getPath() + " with " + refusal.status() + ": " + refusal.getMessage()
        + " [" + refusal.caller() + "]");
    return Response.status(refusal.status()).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("error", refusal.getMessage())).build();
  }
}
