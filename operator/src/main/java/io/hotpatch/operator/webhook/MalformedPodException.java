package io.hotpatch.operator.webhook;

/**
 * The admitted object is not shaped like a pod (a field has the wrong JSON type); the webhook then
 * leaves it alone.
 */
public class MalformedPodException extends RuntimeException {
  public MalformedPodException(String message) {
    super(message);
  }
}
