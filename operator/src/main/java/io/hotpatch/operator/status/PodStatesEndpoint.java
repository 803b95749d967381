package io.hotpatch.operator.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.operator.channel.PatchKey;
import io.hotpatch.operator.rollout.PodLedger;
import io.quarkus.vertx.http.ManagementInterface;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every reached pod's entry of one HotPatch, as JSON, on the management interface ({@code GET
 * /q/hotpatch/pods/<namespace>/<name>}): status lists only a bounded few. Served by the replica
 * that runs the rollout; 404 elsewhere and before its first step.
 */
@ApplicationScoped
public class PodStatesEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  void register(@Observes ManagementInterface management, PodLedger ledger) {
    management
        .router()
        .get("/q/hotpatch/pods/:namespace/:name")
        .handler(
            ctx -> {
              PatchKey key = new PatchKey(ctx.pathParam("namespace"), ctx.pathParam("name"));
              ledger
                  .all(key)
                  .ifPresentOrElse(
                      pods -> {
                        try {
                          ctx.response()
                              .putHeader("Content-Type", "application/json")
                              .end(JSON.writeValueAsString(pods));
                        } catch (JsonProcessingException e) {
                          ctx.fail(e);
                        }
                      },
                      () ->
                          ctx.response()
                              .setStatusCode(404)
                              .end(
                                  "no rollout of HotPatch "
                                      + key.namespace()
                                      + "/"
                                      + key.name()
                                      + " on this replica: ask the leader (the holder of the hotpatch-operator Lease)\n"));
            });
  }
}
