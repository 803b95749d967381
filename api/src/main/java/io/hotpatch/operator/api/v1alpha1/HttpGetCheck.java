package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An HTTP GET to the app on the pod's loopback address. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpGetCheck {
  public static final int MAX_PATH = 256;

  @Required
  @Size(max = MAX_PATH)
  @Pattern("^/[!-~]*$")
  @JsonPropertyDescription(
      "Path (and query) to GET, starting with '/', printable ASCII without spaces, at most 256"
          + " characters, e.g. /healthz or /price?cents=1999. Pick a path that runs the patched code.")
  private String path;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Port the app listens on inside the pod; the sidecar connects to 127.0.0.1.")
  private Integer port;

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }
}
