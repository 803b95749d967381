package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * What the webhook does to one pod: the JSON patch (empty for no change), whether the sidecar is
 * added, and the note it leaves on the pod (null when all went as asked).
 */
public record Injection(ArrayNode patch, boolean injected, String note) {

  static Injection none() {
    return new Injection(JsonNodeFactory.instance.arrayNode(), false, null);
  }
}
