package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a ConfigMap's binaryData that holds a bundle jar. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapBundleReference {
  public static final String DEFAULT_KEY = "bundle.jar";

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription("Name of the ConfigMap, in the HotPatch's namespace.")
  private String name;

  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription(
      "Key in the ConfigMap's binaryData that holds the bundle jar. Default: bundle.jar.")
  private String key;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  /** The key to read, {@value #DEFAULT_KEY} when none is given. */
  public String keyOrDefault() {
    return key == null || key.isEmpty() ? DEFAULT_KEY : key;
  }
}
