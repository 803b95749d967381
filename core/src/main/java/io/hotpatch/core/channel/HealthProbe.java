package io.hotpatch.core.channel;

/**
 * The HTTP GET a sidecar sends to its app on the pod's loopback while the operator watches a patch
 * (the HotPatch's spec.strategy.healthCheck), bounded in time and count.
 */
public final class HealthProbe {
  private String path = "/";
  private int port;
  private int expectedStatus = 200;
  private int failureThreshold = 3;
  private int periodSeconds = 5;
  private int timeoutSeconds = 1;

  public HealthProbe() {}

  public HealthProbe(
      String path,
      int port,
      int expectedStatus,
      int failureThreshold,
      int periodSeconds,
      int timeoutSeconds) {
    this.path = path;
    this.port = port;
    this.expectedStatus = expectedStatus;
    this.failureThreshold = failureThreshold;
    this.periodSeconds = periodSeconds;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Path and query, starting with {@code /}. */
  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  public int getExpectedStatus() {
    return expectedStatus;
  }

  public void setExpectedStatus(int expectedStatus) {
    this.expectedStatus = expectedStatus;
  }

  /** Failures in a row that fail the check. */
  public int getFailureThreshold() {
    return failureThreshold;
  }

  public void setFailureThreshold(int failureThreshold) {
    this.failureThreshold = failureThreshold;
  }

  public int getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(int periodSeconds) {
    this.periodSeconds = periodSeconds;
  }

  /** How long one GET may take, connect and answer each. */
  public int getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(int timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HealthProbe && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** A canonical one-line form, also part of the desired state's revision. */
  @Override
  public String toString() {
    return "GET "
        + path
        + " port "
        + port
        + " expect "
        + expectedStatus
        + " threshold "
        + failureThreshold
        + " period "
        + periodSeconds
        + "s timeout "
        + timeoutSeconds
        + "s";
  }
}
