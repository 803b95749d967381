package io.hotpatch.operator.webhook;

import java.util.Locale;

/**
 * How the sidecar is added: a native sidecar (init container that keeps running) or a plain
 * container.
 */
public enum SidecarMode {
  /**
   * An init container with restartPolicy Always (Kubernetes 1.29+): it starts before the app
   * containers.
   */
  NATIVE,
  /** A plain container, for clusters without native sidecars. */
  CONTAINER;

  /**
   * The mode named by the chart value sidecar.mode ("native" or "container"), or null for anything
   * else.
   */
  public static SidecarMode parse(String value) {
    if (value == null) {
      return null;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "native" -> NATIVE;
      case "container" -> CONTAINER;
      default -> null;
    };
  }
}
