package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The CRD schema of one status condition (metav1.Condition), with the descriptions kubectl explain
 * shows.
 */
final class ConditionSchema {
  @JsonProperty
  @JsonPropertyDescription("Ready, Progressing or Degraded.")
  String type;

  @JsonProperty
  @JsonPropertyDescription("True, False or Unknown.")
  String status;

  @JsonProperty
  @JsonPropertyDescription("The metadata.generation of the spec this condition was set for.")
  Long observedGeneration;

  @JsonProperty
  @JsonPropertyDescription("When the condition last changed status (RFC 3339).")
  String lastTransitionTime;

  @JsonProperty
  @JsonPropertyDescription(
      "Why, in one CamelCase word (for example WaveInProgress, InvalidSpec, InvalidBundle).")
  String reason;

  @JsonProperty
  @JsonPropertyDescription(
      "What happened, for people: the cause and, where something is wrong, the fix.")
  String message;

  private ConditionSchema() {}
}
