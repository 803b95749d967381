package io.hotpatch.e2e;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/** The fields of a HotPatch's status the e2e tests assert on (hotpatch.io/v1alpha1). */
@JsonIgnoreProperties(ignoreUnknown = true)
record HotPatchStatus(
    Long observedGeneration,
    List<Condition> conditions,
    String bundleSha256,
    Integer targetPods,
    Integer patchedPods,
    Integer failedPods,
    List<Pod> pods) {

  /** A metav1.Condition. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Condition(String type, String status, String reason, String message, Long observedGeneration,
      String lastTransitionTime) {}

  /** One target pod's entry. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Pod(String name, String uid, String state, String method, String message, Integer restartCount,
      String patchedAt, String delivery) {}

  HotPatchStatus {
    conditions = conditions == null ? List.of() : conditions;
    pods = pods == null ? List.of() : pods;
  }

  Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
  }

  /** Ready=True for the current generation. */
  boolean isReady(long generation) {
    return observedGeneration != null && observedGeneration == generation
        && condition("Ready").map(c -> "True".equals(c.status())).orElse(false);
  }

  Optional<Pod> pod(String name) {
    return pods.stream().filter(p -> name.equals(p.name())).findFirst();
  }
}
