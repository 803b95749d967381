package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** The first wave: a few pods that must stay healthy for a while before the others are patched. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStrategy {
  @Min(0)
  @JsonPropertyDescription(
      "Number of pods patched in the canary wave. 0 (default) means no canary.")
  private Integer pods;

  @Min(0)
  @JsonPropertyDescription(
      "Seconds the canary pods must stay Ready, without a container restart, after they are"
          + " patched and before the next wave starts. Default: 0.")
  private Integer soakSeconds;

  public Integer getPods() {
    return pods;
  }

  public void setPods(Integer pods) {
    this.pods = pods;
  }

  public Integer getSoakSeconds() {
    return soakSeconds;
  }

  public void setSoakSeconds(Integer soakSeconds) {
    this.soakSeconds = soakSeconds;
  }
}
