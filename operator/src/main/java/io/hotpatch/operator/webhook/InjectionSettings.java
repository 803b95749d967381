package io.hotpatch.operator.webhook;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the webhook injects and where the sidecar reaches the operator.
 *
 * @param operatorNamespace the operator's own namespace (never injected); null when unknown
 * @param excludedNamespaces more namespaces never injected (the chart value
 *     webhook.excludedNamespaces)
 * @param caPem the PEM text of the CA that signed the operator's certificate; empty when unreadable
 * @param startupWaitSeconds how long the init step holds the app containers for their startup
 *     bundles (0: not at all); after it they start without them (fail open)
 */
public record InjectionSettings(
    String sidecarImage,
    String pullPolicy,
    SidecarMode mode,
    String channelUrl,
    String operatorNamespace,
    Set<String> excludedNamespaces,
    Optional<String> caPem,
    int startupWaitSeconds) {
  public static final int DEFAULT_STARTUP_WAIT_SECONDS = 20;
  public static final int MAX_STARTUP_WAIT_SECONDS = 300;

  public InjectionSettings(
      String sidecarImage,
      String pullPolicy,
      SidecarMode mode,
      String channelUrl,
      String operatorNamespace,
      Set<String> excludedNamespaces,
      Optional<String> caPem) {
    this(
        sidecarImage,
        pullPolicy,
        mode,
        channelUrl,
        operatorNamespace,
        excludedNamespaces,
        caPem,
        DEFAULT_STARTUP_WAIT_SECONDS);
  }

  public InjectionSettings {
    Objects.requireNonNull(sidecarImage, "sidecarImage");
    Objects.requireNonNull(pullPolicy, "pullPolicy");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(channelUrl, "channelUrl");
    Objects.requireNonNull(caPem, "caPem");
    excludedNamespaces = Set.copyOf(excludedNamespaces);
    if (startupWaitSeconds < 0 || startupWaitSeconds > MAX_STARTUP_WAIT_SECONDS) {
      throw new IllegalArgumentException(
          "startupWaitSeconds="
              + startupWaitSeconds
              + " is not within 0.."
              + MAX_STARTUP_WAIT_SECONDS);
    }
  }
}
