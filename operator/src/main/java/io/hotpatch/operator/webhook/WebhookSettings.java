package io.hotpatch.operator.webhook;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The webhook's configuration, from the env vars the chart sets on the operator (HOTPATCH_SIDECAR_IMAGE, ...). */
@ApplicationScoped
public class WebhookSettings {
  private static final Logger LOG = Logger.getLogger(WebhookSettings.class);

  @ConfigProperty(name = "hotpatch.sidecar.image", defaultValue = "hotpatch/hotpatch-sidecar:0.1.0")
  String sidecarImage;

  @ConfigProperty(name = "hotpatch.sidecar.image-pull-policy", defaultValue = "IfNotPresent")
  String pullPolicy;

  @ConfigProperty(name = "hotpatch.sidecar.mode", defaultValue = "native")
  String mode;

  @ConfigProperty(name = "hotpatch.channel.url", defaultValue = "https://hotpatch-operator.hotpatch-system.svc:443")
  String channelUrl;

  /** POD_NAMESPACE: the operator's own namespace, never injected. */
  @ConfigProperty(name = "pod.namespace")
  Optional<String> operatorNamespace;

  /** More namespaces never injected: HOTPATCH_WEBHOOK_EXCLUDED_NAMESPACES=a,b (the chart selector has them too). */
  @ConfigProperty(name = "hotpatch.webhook.excluded-namespaces")
  Optional<List<String>> excludedNamespaces;

  /** The CA of the operator's TLS secret; read on every request because cert-manager may rotate it. */
  @ConfigProperty(name = "hotpatch.webhook.ca-file", defaultValue = "/etc/hotpatch/tls/ca.crt")
  String caFile;

  /** HOTPATCH_SIDECAR_STARTUP_WAIT_SECONDS: how long a new pod's app waits for its startup bundles (chart sidecar.startupWaitSeconds). */
  @ConfigProperty(name = "hotpatch.sidecar.startup-wait-seconds", defaultValue = "20")
  int startupWaitSeconds;

  private SidecarMode sidecarMode;

  @PostConstruct
  void parseMode() {
    sidecarMode = SidecarMode.parse(mode);
    if (sidecarMode == null) {
      LOG.warnf("hotpatch.sidecar.mode=%s is neither native nor container; injecting a native sidecar."
          + " Fix: set the chart value sidecar.mode to native or container", mode);
      sidecarMode = SidecarMode.NATIVE;
    }
    if (startupWaitSeconds < 0 || startupWaitSeconds > InjectionSettings.MAX_STARTUP_WAIT_SECONDS) {
      LOG.warnf("hotpatch.sidecar.startup-wait-seconds=%d is not within 0..%d; using %d."
          + " Fix: set the chart value sidecar.startupWaitSeconds within that range", startupWaitSeconds,
          InjectionSettings.MAX_STARTUP_WAIT_SECONDS, InjectionSettings.DEFAULT_STARTUP_WAIT_SECONDS);
      startupWaitSeconds = InjectionSettings.DEFAULT_STARTUP_WAIT_SECONDS;
    }
  }

  public InjectionSettings current() {
    return new InjectionSettings(sidecarImage, pullPolicy, sidecarMode, channelUrl, operatorNamespace.orElse(null),
        Set.copyOf(excludedNamespaces.orElse(List.of())), caPem(Path.of(caFile)), startupWaitSeconds);
  }

  static Optional<String> caPem(Path file) {
    try {
      String pem = Files.readString(file, StandardCharsets.US_ASCII);
      if (pem.contains("-----BEGIN CERTIFICATE-----")) {
        return Optional.of(pem);
      }
      LOG.warnf("%s holds no PEM certificate; sidecars get HOTPATCH_CA_FILE instead."
          + " Fix: check the ca.crt key of the operator's TLS secret", file);
    } catch (NoSuchFileException e) {
      LOG.debugf("%s is absent; sidecars get HOTPATCH_CA_FILE instead", file);
    } catch (IOException | RuntimeException e) {
      LOG.warnf("Cannot read %s (%s); sidecars get HOTPATCH_CA_FILE instead."
          + " Fix: mount the operator's TLS secret at /etc/hotpatch/tls", file, e.getMessage());
    }
    return Optional.empty();
  }
}
