package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Where the patch bundle lives and the digest that pins it. */
public class BundleSource {
  @Required
  @JsonPropertyDescription(
      "The ConfigMap in the HotPatch's namespace that holds the bundle jar in binaryData.")
  private ConfigMapBundleReference configMapRef;

  @Required
  @Pattern("^[0-9a-f]{64}$")
  @JsonPropertyDescription(
      "SHA-256 of the bundle jar as 64 lowercase hex characters (`sha256sum bundle.jar`). A bundle"
          + " with another digest is refused and nothing is applied.")
  private String sha256;

  public ConfigMapBundleReference getConfigMapRef() {
    return configMapRef;
  }

  public void setConfigMapRef(ConfigMapBundleReference configMapRef) {
    this.configMapRef = configMapRef;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }
}
