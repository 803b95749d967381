package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Typed reads of a pod's JSON that tell "absent" (null) from "wrong type" (MalformedPodException).
 */
final class Json {
  private Json() {}

  static ObjectNode object(JsonNode parent, String field) {
    JsonNode value = child(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      throw new MalformedPodException(field + " is not an object");
    }
    return (ObjectNode) value;
  }

  static ArrayNode array(JsonNode parent, String field) {
    JsonNode value = child(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      throw new MalformedPodException(field + " is not an array");
    }
    return (ArrayNode) value;
  }

  static String text(JsonNode parent, String field) {
    JsonNode value = child(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw new MalformedPodException(field + " is not a string");
    }
    return value.textValue();
  }

  static Long longValue(JsonNode parent, String field) {
    JsonNode value = child(parent, field);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new MalformedPodException(field + " is not an integer");
    }
    return value.longValue();
  }

  static boolean isTrue(JsonNode parent, String field) {
    JsonNode value = child(parent, field);
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new MalformedPodException(field + " is not a boolean");
    }
    return value.booleanValue();
  }

  /** The element at index as an object (array elements of a pod are always objects). */
  static ObjectNode element(ArrayNode array, int index, String what) {
    JsonNode value = array.get(index);
    if (value == null || !value.isObject()) {
      throw new MalformedPodException(what + "[" + index + "] is not an object");
    }
    return (ObjectNode) value;
  }

  /** The value of field, or null when parent is null or the field is absent or JSON null. */
  private static JsonNode child(JsonNode parent, String field) {
    if (parent == null) {
      return null;
    }
    JsonNode value = parent.get(field);
    return value == null || value.isNull() ? null : value;
  }
}
