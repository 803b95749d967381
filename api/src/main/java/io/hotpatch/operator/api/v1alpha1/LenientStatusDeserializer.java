package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Reads a HotPatch's status without ever failing: a status the model cannot hold (written by hand
 * through the status subresource) reads as none, so it cannot stop the informer, and the operator
 * writes a fresh one.
 */
public class LenientStatusDeserializer extends JsonDeserializer<HotPatchStatus> {
  @Override
  public HotPatchStatus deserialize(JsonParser parser, DeserializationContext context)
      throws IOException {
    JsonNode tree = parser.readValueAsTree();
    try {
      return context.readTreeAsValue(tree, HotPatchStatus.class);
    } catch (JsonMappingException | RuntimeException e) {
      return null;
    }
  }
}
