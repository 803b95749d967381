package io.hotpatch.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The Kubernetes objects a helm template run rendered, parsed with Jackson YAML. */
record Rendered(String text, List<JsonNode> objects) {
  private static final YAMLMapper YAML = new YAMLMapper();

  static Rendered parse(String text) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && document.isObject() && document.has("kind")) {
          objects.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("rendered chart is not valid YAML: " + e.getMessage(), e);
    }
    return new Rendered(text, List.copyOf(objects));
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream()
        .filter(o -> kind.equals(o.path("kind").asText()))
        .collect(Collectors.toList());
  }

  /** The single object of this kind; fails when there is none or more than one. */
  JsonNode one(String kind) {
    List<JsonNode> found = ofKind(kind);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected exactly one " + kind + " but found " + found.size() + " in:\n" + text);
    }
    return found.get(0);
  }

  /** The rendered text of the template file with this path under templates/. */
  String source(String template) {
    String marker = "# Source: hotpatch-operator/templates/" + template + "\n";
    StringBuilder out = new StringBuilder();
    for (String document : text.split("(?m)^---$")) {
      if (document.contains(marker)) {
        out.append(document);
      }
    }
    if (out.length() == 0) {
      throw new AssertionError("template " + template + " rendered nothing");
    }
    return out.toString();
  }

  /** The text values of a YAML sequence. */
  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(value -> texts.add(value.asText()));
    return texts;
  }
}
