package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * The CRD schema of spec.selector: a Kubernetes label selector, with the descriptions kubectl
 * explain shows.
 */
final class LabelSelectorSchema {
  @JsonProperty
  @JsonPropertyDescription(
      "Labels a pod must all carry, as key: value pairs (the same as matchExpressions with"
          + " operator In and one value each).")
  Map<String, String> matchLabels;

  @JsonProperty
  @JsonPropertyDescription(
      "Label requirements a pod must all meet; they are ANDed with matchLabels.")
  List<Requirement> matchExpressions;

  private LabelSelectorSchema() {}

  /** One label requirement: a key, an operator and the values it compares with. */
  static final class Requirement {
    @JsonProperty
    @JsonPropertyDescription("The label key the requirement applies to.")
    String key;

    @JsonProperty
    @JsonPropertyDescription(
        "How the label's value relates to values: In, NotIn, Exists or DoesNotExist.")
    String operator;

    @JsonProperty
    @JsonPropertyDescription(
        "The values to compare with: at least one for In and NotIn, none for Exists and DoesNotExist.")
    List<String> values;

    private Requirement() {}
  }
}
