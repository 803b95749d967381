package io.hotpatch.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * A check each patched pod's sidecar runs against its app while the pod's wave is watched (the
 * canary's soak included): a failure halts the rollout and reverts the wave.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthCheck {
  public static final int DEFAULT_EXPECTED_STATUS = 200;
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  public static final int DEFAULT_PERIOD_SECONDS = 5;
  public static final int DEFAULT_TIMEOUT_SECONDS = 1;
  public static final int MAX_FAILURE_THRESHOLD = 20;
  public static final int MAX_PERIOD_SECONDS = 60;
  public static final int MAX_TIMEOUT_SECONDS = 10;

  @Required
  @JsonPropertyDescription(
      "The HTTP GET the sidecar sends to the app on the pod's loopback address (127.0.0.1), right after"
          + " the patch is applied and then every periodSeconds while the pod's wave is watched.")
  private HttpGetCheck httpGet;

  @Min(100)
  @Max(599)
  @JsonPropertyDescription("HTTP status the app must answer. Default: 200.")
  private Integer expectedStatus;

  @Min(1)
  @Max(MAX_FAILURE_THRESHOLD)
  @JsonPropertyDescription(
      "Failed GETs in a row (another status, a timeout, a refused connection) that fail the pod's wave."
          + " From 1 to 20. Default: 3.")
  private Integer failureThreshold;

  @Min(1)
  @Max(MAX_PERIOD_SECONDS)
  @JsonPropertyDescription("Seconds between two GETs, from 1 to 60. Default: 5.")
  private Integer periodSeconds;

  @Min(1)
  @Max(MAX_TIMEOUT_SECONDS)
  @JsonPropertyDescription(
      "Seconds one GET may take to connect, and again to answer, from 1 to 10; a slower answer is a"
          + " failure. Default: 1.")
  private Integer timeoutSeconds;

  public HttpGetCheck getHttpGet() {
    return httpGet;
  }

  public void setHttpGet(HttpGetCheck httpGet) {
    this.httpGet = httpGet;
  }

  public Integer getExpectedStatus() {
    return expectedStatus;
  }

  public void setExpectedStatus(Integer expectedStatus) {
    this.expectedStatus = expectedStatus;
  }

  public Integer getFailureThreshold() {
    return failureThreshold;
  }

  public void setFailureThreshold(Integer failureThreshold) {
    this.failureThreshold = failureThreshold;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }
}
