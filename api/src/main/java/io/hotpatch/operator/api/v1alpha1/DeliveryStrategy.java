package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the patch reaches pods, beyond the injected sidecar. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeliveryStrategy {
  @JsonPropertyDescription(
      "What pods without the injected sidecar (created before their namespace opted in, or while the webhook"
          + " was down) get: EphemeralContainer adds the ephemeral container hotpatch to each such pod once"
          + " (no restart; it cannot be removed and stays as that pod's daemon; needs runAsUser, runAsGroup and"
          + " the app container's service account token), RestartWorkload rolls the owning workload so that"
          + " its new pods get the sidecar, Skip leaves them unpatched. Default: the operator's setting"
          + " (Helm value delivery.uninjectedPods, itself RestartWorkload by default).")
  private UninjectedPodDelivery uninjectedPods;

  public UninjectedPodDelivery getUninjectedPods() {
    return uninjectedPods;
  }

  public void setUninjectedPods(UninjectedPodDelivery uninjectedPods) {
    this.uninjectedPods = uninjectedPods;
  }
}
