package io.hotpatch.operator.webhook;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the webhook injects and where the sidecar reaches the operator.
 *
 * @param operatorNamespace the operator's own namespace (never injected); null when unknown
 * @param excludedNamespaces more namespaces never injected (the chart value webhook.excludedNamespaces)
 * @param caPem the PEM text of the CA that signed the operator's certificate; empty when unreadable
 */
public record InjectionSettings(String sidecarImage, String pullPolicy, SidecarMode mode, String channelUrl,
    String operatorNamespace, Set<String> excludedNamespaces, Optional<String> caPem) {

  public InjectionSettings {
    Objects.requireNonNull(sidecarImage, "sidecarImage");
    Objects.requireNonNull(pullPolicy, "pullPolicy");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(channelUrl, "channelUrl");
    Objects.requireNonNull(caPem, "caPem");
    excludedNamespaces = Set.copyOf(excludedNamespaces);
  }
}
