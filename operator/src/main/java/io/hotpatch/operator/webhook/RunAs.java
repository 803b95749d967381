package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The UID and GID the target container runs as, read from the pod spec (container securityContext
 * wins over the pod's). Null when the spec does not say (the image decides, which the webhook
 * cannot see).
 */
public record RunAs(Long uid, Long gid) {

  public static RunAs of(JsonNode podSecurityContext, JsonNode containerSecurityContext) {
    return new RunAs(
        first(containerSecurityContext, podSecurityContext, "runAsUser"),
        first(containerSecurityContext, podSecurityContext, "runAsGroup"));
  }

  private static Long first(JsonNode container, JsonNode pod, String field) {
    Long value = Json.longValue(container, field);
    return value != null ? value : Json.longValue(pod, field);
  }
}
