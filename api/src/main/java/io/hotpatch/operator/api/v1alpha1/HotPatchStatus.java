package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed and did; written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HotPatchStatus {
  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Progressing and Degraded, following Kubernetes conventions (each with reason,"
          + " message, observedGeneration and lastTransitionTime).")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("sha256 of the bundle the per-pod entries refer to.")
  private String bundleSha256;

  @JsonPropertyDescription("Number of pods the selector matches.")
  private Integer targetPods;

  @JsonPropertyDescription("Number of target pods whose JVM runs the patch.")
  private Integer patchedPods;

  @JsonPropertyDescription("Number of target pods where the patch failed.")
  private Integer failedPods;

  @JsonPropertyDescription("Patched pods over target pods, for `kubectl get hp`.")
  private String patched;

  @JsonPropertyDescription(
      "Wave whose failure halted the rollout. The rollout stays halted until spec.bundle.sha256"
          + " changes (publish a fixed bundle) or the HotPatch is recreated.")
  private Integer haltedWave;

  @JsonPropertyDescription("Why the rollout halted.")
  private String haltMessage;

  @JsonPropertyDescription(
      "Reason of the halt, as in the Degraded condition: CanaryFailed (a pod failed the health gate:"
          + " Ready lost, a container restart, the JVM gone, the patch inactive, or"
          + " spec.strategy.healthCheck failing) or RolloutHalted (a pod could not take the patch).")
  private String haltReason;

  @JsonPropertyDescription("One entry per target pod the rollout has reached.")
  private List<PodPatchStatus> pods = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getBundleSha256() {
    return bundleSha256;
  }

  public void setBundleSha256(String bundleSha256) {
    this.bundleSha256 = bundleSha256;
  }

  public Integer getTargetPods() {
    return targetPods;
  }

  public void setTargetPods(Integer targetPods) {
    this.targetPods = targetPods;
  }

  public Integer getPatchedPods() {
    return patchedPods;
  }

  public void setPatchedPods(Integer patchedPods) {
    this.patchedPods = patchedPods;
  }

  public Integer getFailedPods() {
    return failedPods;
  }

  public void setFailedPods(Integer failedPods) {
    this.failedPods = failedPods;
  }

  public String getPatched() {
    return patched;
  }

  public void setPatched(String patched) {
    this.patched = patched;
  }

  public Integer getHaltedWave() {
    return haltedWave;
  }

  public void setHaltedWave(Integer haltedWave) {
    this.haltedWave = haltedWave;
  }

  public String getHaltMessage() {
    return haltMessage;
  }

  public void setHaltMessage(String haltMessage) {
    this.haltMessage = haltMessage;
  }

  public List<PodPatchStatus> getPods() {
    return pods;
  }

  public void setPods(List<PodPatchStatus> pods) {
    this.pods = pods;
  }

  public String getHaltReason() {
    return haltReason;
  }

  public void setHaltReason(String haltReason) {
    this.haltReason = haltReason;
  }
}
