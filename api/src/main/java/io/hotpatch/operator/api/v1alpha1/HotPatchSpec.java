package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** What the user asks for: which pods, which bundle, how fast, and what happens on deletion. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HotPatchSpec {
  @Required
  @ValidationRule(
      value =
          "(has(self.matchLabels) && size(self.matchLabels) > 0)"
              + " || (has(self.matchExpressions) && size(self.matchExpressions) > 0)",
      message =
          "selector must not be empty: name the pods to patch with matchLabels or matchExpressions")
  @JsonPropertyDescription(
      "Label selector of the pods to patch. Only pods in the HotPatch's own namespace are"
          + " considered. Must not be empty.")
  @SchemaFrom(type = LabelSelectorSchema.class)
  private LabelSelector selector;

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Name of the container whose JVM gets the patch. Optional when the pod has a single"
          + " application container.")
  private String containerName;

  @Required
  @JsonPropertyDescription("The patch bundle: where to read it and the sha256 it must have.")
  private BundleSource bundle;

  @JsonPropertyDescription(
      "How the patch is rolled out. Defaults: mode Auto, maxParallel 25%, no canary.")
  private RolloutStrategy strategy;

  @JsonPropertyDescription(
      "What happens to patched JVMs when this HotPatch is deleted: Keep (default) leaves the patch"
          + " in place, Revert restores the original classes first.")
  private OnDeletePolicy onDelete;

  @JsonPropertyDescription(
      "DANGEROUS. Allows the bundle to patch classes of the JDK itself (java.*, javax.*, jdk.*, sun.*,"
          + " com.sun.*), which changes every application in the JVM and the JVM's own behaviour. Default"
          + " false: such bundles are refused (Degraded, reason InvalidBundle). Set it only for a JDK fix you"
          + " have tested. Classes of the hotpatch agent are refused regardless.")
  private Boolean allowJdkClasses;

  @JsonPropertyDescription(
      "How pods without the injected sidecar get the patch (ephemeral container, restart or"
          + " none).")
  private DeliveryStrategy delivery;

  @JsonIgnore private String unreadable;
  @JsonIgnore private JsonNode source;

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }

  public String getContainerName() {
    return containerName;
  }

  public void setContainerName(String containerName) {
    this.containerName = containerName;
  }

  public BundleSource getBundle() {
    return bundle;
  }

  public void setBundle(BundleSource bundle) {
    this.bundle = bundle;
  }

  public RolloutStrategy getStrategy() {
    return strategy;
  }

  public void setStrategy(RolloutStrategy strategy) {
    this.strategy = strategy;
  }

  public Boolean getAllowJdkClasses() {
    return allowJdkClasses;
  }

  public void setAllowJdkClasses(Boolean allowJdkClasses) {
    this.allowJdkClasses = allowJdkClasses;
  }

  /** Whether JDK classes may be patched: only when the spec says true. */
  public boolean allowsJdkClasses() {
    return Boolean.TRUE.equals(allowJdkClasses);
  }

  public OnDeletePolicy getOnDelete() {
    return onDelete;
  }

  public void setOnDelete(OnDeletePolicy onDelete) {
    this.onDelete = onDelete;
  }

  public DeliveryStrategy getDelivery() {
    return delivery;
  }

  public void setDelivery(DeliveryStrategy delivery) {
    this.delivery = delivery;
  }

  /** A spec the model cannot hold: empty, with the reason and the JSON as stored. */
  static HotPatchSpec unreadable(String reason, JsonNode source) {
    HotPatchSpec spec = new HotPatchSpec();
    spec.unreadable = reason;
    spec.source = source;
    return spec;
  }

  /**
   * Why the stored spec could not be read into this model (its other fields are then empty), or
   * null.
   */
  @JsonIgnore
  public String getUnreadable() {
    return unreadable;
  }

  /** The stored JSON of an unreadable spec, written back as it was; null for a readable one. */
  @JsonIgnore
  JsonNode getSource() {
    return source;
  }
}
