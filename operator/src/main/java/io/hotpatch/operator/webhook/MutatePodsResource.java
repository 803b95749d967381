package io.hotpatch.operator.webhook;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The mutating admission webhook endpoint the API server calls for each new pod in an opted-in
 * namespace.
 */
@Path("/mutate-pods")
public class MutatePodsResource {
  private final AdmissionHandler handler = new AdmissionHandler();
  private final WebhookSettings settings;
  private final InjectionEvents events;

  public MutatePodsResource(WebhookSettings settings, InjectionEvents events) {
    this.settings = settings;
    this.events = events;
  }

  /**
   * Takes the body as text so that even a malformed review gets a fail-open answer rather than a
   * 400.
   */
  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public String mutate(String body) {
    AdmissionHandler.Handled handled = handler.handle(body, settings.current());
    if (handled.notice() != null) {
      events.record(handled.notice());
    }
    return AdmissionHandler.toJson(handled.review());
  }
}
