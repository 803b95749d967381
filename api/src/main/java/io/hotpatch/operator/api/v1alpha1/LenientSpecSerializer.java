package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import java.io.IOException;

/**
 * Writes a spec the way {@link LenientSpecDeserializer} found it: an unreadable one as its stored
 * JSON, never as the empty model, so that no write of the resource (a finalizer, a status update
 * without server-side apply) can replace the user's spec.
 */
public class LenientSpecSerializer extends JsonSerializer<HotPatchSpec> {
  @Override
  public void serialize(HotPatchSpec spec, JsonGenerator generator, SerializerProvider provider)
      throws IOException {
    if (spec.getSource() != null) {
      generator.writeTree(spec.getSource());
    } else {
      provider.findValueSerializer(HotPatchSpec.class).serialize(spec, generator, provider);
    }
  }

  /** The schema is the model's: this serializer changes what is written, not its shape. */
  @Override
  public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType type)
      throws JsonMappingException {
    visitor
        .getProvider()
        .findValueSerializer(HotPatchSpec.class)
        .acceptJsonFormatVisitor(visitor, type);
  }
}
