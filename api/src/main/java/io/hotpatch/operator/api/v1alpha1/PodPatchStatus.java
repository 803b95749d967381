package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.hotpatch.core.ResultState;

/** Where the patch stands in one pod; kept in status so an operator restart resumes from it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodPatchStatus {
  @JsonPropertyDescription("Pod name.")
  private String name;

  @JsonPropertyDescription("Pod uid: a pod recreated under the same name is a new target.")
  private String uid;

  @JsonPropertyDescription("Rollout wave that reached this pod (0 is the canary).")
  private Integer wave;

  @JsonPropertyDescription(
      "Last result the pod reported: APPLIED, ALREADY_APPLIED, NOT_HOT_APPLICABLE,"
          + " PRECONDITION_FAILED, FAILED or REVERTED. Absent while the pod has not answered.")
  private ResultState state;

  @JsonPropertyDescription(
      "How the patch reached the JVM: Hot (redefined live) or Startup (at JVM start).")
  private String method;

  @JsonPropertyDescription("Human-readable detail: what happened, or what the pod is waiting for.")
  private String message;

  @JsonPropertyDescription(
      "Restart count of the target container when the operator last recorded this pod.")
  private Integer restartCount;

  @JsonPropertyDescription("When the pod reported the patch applied (RFC 3339).")
  private String patchedAt;

  @JsonPropertyDescription(
      "While the pod's wave is watched: the sidecar's last health verdict, PASSING, FAILING (below the"
          + " failure threshold) or FAILED, with what it saw.")
  private String health;

  @JsonPropertyDescription(
      "How the patch reaches this pod: Sidecar (injected at creation), Ephemeral (the operator added the ephemeral"
          + " container hotpatch), Restart (its workload is rolled so new pods get the sidecar) or None (skipped or"
          + " refused: see message).")
  private String delivery;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  public Integer getWave() {
    return wave;
  }

  public void setWave(Integer wave) {
    this.wave = wave;
  }

  public ResultState getState() {
    return state;
  }

  public void setState(ResultState state) {
    this.state = state;
  }

  public String getMethod() {
    return method;
  }

  public void setMethod(String method) {
    this.method = method;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Integer getRestartCount() {
    return restartCount;
  }

  public void setRestartCount(Integer restartCount) {
    this.restartCount = restartCount;
  }

  public String getPatchedAt() {
    return patchedAt;
  }

  public void setPatchedAt(String patchedAt) {
    this.patchedAt = patchedAt;
  }

  public String getHealth() {
    return health;
  }

  public void setHealth(String health) {
    this.health = health;
  }

  public String getDelivery() {
    return delivery;
  }

  public void setDelivery(String delivery) {
    this.delivery = delivery;
  }
}
