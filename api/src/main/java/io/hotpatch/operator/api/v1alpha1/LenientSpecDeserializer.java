package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Reads a HotPatch's spec without ever failing: a spec the model cannot hold (a wrong type, an
 * unknown mode) becomes an empty spec that names the field and keeps the stored JSON, so that one
 * bad object cannot stop the informer that reads them all, the reconciler can refuse it in status,
 * and whatever writes the resource back writes the user's spec unchanged.
 */
public class LenientSpecDeserializer extends JsonDeserializer<HotPatchSpec> {
  private static final int MAX_DETAIL = 200;

  @Override
  public HotPatchSpec deserialize(JsonParser parser, DeserializationContext context)
      throws IOException {
    JsonNode tree = parser.readValueAsTree();
    try {
      return context.readTreeAsValue(tree, HotPatchSpec.class);
    } catch (JsonMappingException e) {
      return HotPatchSpec.unreadable(describe(e), tree);
    } catch (RuntimeException e) { // a value deserializer that throws instead of reporting
      return HotPatchSpec.unreadable(
          "spec cannot be read ("
              + bounded(String.valueOf(e.getMessage()))
              + "): fix"
              + " it as `kubectl explain hotpatch.spec` describes it",
          tree);
    }
  }

  /** One line naming the field and what it must hold. */
  static String describe(JsonMappingException e) {
    String field =
        "spec"
            + e.getPath().stream()
                .map(
                    ref ->
                        ref.getFieldName() != null
                            ? "." + ref.getFieldName()
                            : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
    if (e instanceof InvalidFormatException format
        && format.getTargetType() != null
        && format.getTargetType().isEnum()) {
      return field
          + " is '"
          + bounded(String.valueOf(format.getValue()))
          + "': use one of "
          + Arrays.stream(format.getTargetType().getEnumConstants())
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
    }
    return field
        + " cannot be read ("
        + bounded(e.getOriginalMessage().lines().findFirst().orElse(""))
        + "): fix"
        + " its type as `kubectl explain hotpatch."
        + field
        + "` describes it";
  }

  private static String bounded(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }
}
