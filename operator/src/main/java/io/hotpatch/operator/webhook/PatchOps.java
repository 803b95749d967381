package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * RFC 6902 operations built while the webhook decides what to change, each against the pod as
 * admitted: every path is checked against that pod, so the patch applies cleanly to it.
 */
final class PatchOps {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ArrayNode ops = NODES.arrayNode();

  /** Appends items to the array parent.field, creating the array when it is absent. */
  void append(JsonNode parent, String parentPath, String field, List<? extends JsonNode> items) {
    if (items.isEmpty()) {
      return;
    }
    if (Json.array(parent, field) == null) {
      add(parentPath + "/" + escape(field), NODES.arrayNode().addAll(items));
      return;
    }
    for (JsonNode item : items) {
      add(parentPath + "/" + escape(field) + "/-", item);
    }
  }

  /**
   * Inserts items at the front of the array parent.field, in order, creating the array when it is
   * absent.
   */
  void prepend(JsonNode parent, String parentPath, String field, List<? extends JsonNode> items) {
    if (Json.array(parent, field) == null) {
      append(parent, parentPath, field, items);
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      add(parentPath + "/" + escape(field) + "/" + i, items.get(i));
    }
  }

  /**
   * Sets key in the object parent.field (a map such as annotations), creating the object when it is
   * absent.
   */
  void putEntry(JsonNode parent, String parentPath, String field, String key, JsonNode value) {
    if (Json.object(parent, field) == null) {
      add(parentPath + "/" + escape(field), NODES.objectNode().set(key, value));
    } else {
      add(parentPath + "/" + escape(field) + "/" + escape(key), value);
    }
  }

  /** Sets the member field of the object at parentPath ("add" replaces an existing member). */
  void set(String parentPath, String field, JsonNode value) {
    add(parentPath + "/" + escape(field), value);
  }

  boolean isEmpty() {
    return ops.isEmpty();
  }

  ArrayNode toJson() {
    return ops.deepCopy();
  }

  private void add(String path, JsonNode value) {
    ObjectNode op = ops.addObject();
    op.put("op", "add");
    op.put("path", path);
    op.set("value", value);
  }

  /** JSON Pointer escaping (RFC 6901): annotation keys contain "/". */
  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
