package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A request to deliver one patch bundle into the JVMs of the pods its selector matches. */
@Group(HotPatch.GROUP)
@Version(HotPatch.VERSION)
@Kind("HotPatch")
@Plural("hotpatches")
@ShortNames("hp")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Patched",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.patched")
@AdditionalPrinterColumn(
    name = "Mode",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.strategy.mode")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class HotPatch extends CustomResource<HotPatchSpec, HotPatchStatus> implements Namespaced {
  public static final String GROUP = "hotpatch.io";
  public static final String VERSION = "v1alpha1";

  /**
   * Read leniently: the API server may hold a spec its schema did not check (or an older schema).
   */
  @Override
  @JsonDeserialize(using = LenientSpecDeserializer.class)
  public void setSpec(HotPatchSpec spec) {
    super.setSpec(spec);
  }

  /** Read leniently too: the operator owns status and rewrites one it cannot read. */
  @Override
  @JsonDeserialize(using = LenientStatusDeserializer.class)
  public void setStatus(HotPatchStatus status) {
    super.setStatus(status);
  }

  @Override
  @JsonSerialize(using = LenientSpecSerializer.class)
  @JsonPropertyDescription(
      "What the user asks for: which pods, which bundle, how fast, and what happens on deletion.")
  public HotPatchSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What the operator observed and did; written only by the operator.")
  public HotPatchStatus getStatus() {
    return super.getStatus();
  }
}
