package io.hotpatch.operator.channel.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Logs every refused channel request with the caller's identity and answers {"error": ...}. */
public class ChannelErrors {
  private static final Logger LOG = Logger.getLogger(ChannelErrors.class);

  @ServerExceptionMapper
  Response refused(ChannelRefusal refusal, UriInfo uri) {
    LOG.warn("Channel refused " + uri.getPath() + " with " + refusal.status() + ": " + refusal.getMessage() + " ["
        + refusal.caller() + "]");
    return Response.status(refusal.status()).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("error", refusal.getMessage())).build();
  }
}
