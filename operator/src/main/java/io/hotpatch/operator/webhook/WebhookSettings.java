package io.hotpatch.operator.webhook;

import io.hotpatch.operator.config.OperatorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

/**
 * The webhook's view of the operator's settings: the sidecar to inject and where it finds the
 * operator.
 */
@ApplicationScoped
public class WebhookSettings {
  private static final Logger LOG = Logger.getLogger(WebhookSettings.class);

  private final String sidecarImage;
  private final String pullPolicy;
  private final SidecarMode sidecarMode;
  private final String channelUrl;
  private final Optional<String> operatorNamespace;
  private final List<String> excludedNamespaces;
  private final String caFile;
  private final int startupWaitSeconds;

  /**
   * POD_NAMESPACE (the operator's own namespace, never injected) comes from the downward API, not
   * hotpatch.*.
   */
  @Inject
  public WebhookSettings(
      OperatorSettings settings,
      @ConfigProperty(name = "pod.namespace") Optional<String> operatorNamespace) {
    this(
        settings.sidecar().image(),
        settings.sidecar().imagePullPolicy(),
        settings.sidecar().mode(),
        settings.channel().url(),
        operatorNamespace,
        settings.webhook().excludedNamespaces().orElse(List.of()),
        settings.webhook().caFile(),
        settings.sidecar().startupWaitSeconds());
  }

  WebhookSettings(
      String sidecarImage,
      String pullPolicy,
      String mode,
      String channelUrl,
      Optional<String> operatorNamespace,
      List<String> excludedNamespaces,
      String caFile,
      int startupWaitSeconds) {
    this.sidecarImage = sidecarImage;
    this.pullPolicy = pullPolicy;
    this.channelUrl = channelUrl;
    this.operatorNamespace = operatorNamespace;
    this.excludedNamespaces = excludedNamespaces;
    this.caFile = caFile;
    SidecarMode parsed = SidecarMode.parse(mode);
    if (parsed == null) {
      LOG.warnf(
          "hotpatch.sidecar.mode=%s is neither native nor container; injecting a native sidecar."
              + " Fix: set the chart value sidecar.mode to native or container",
          mode);
      parsed = SidecarMode.NATIVE;
    }
    this.sidecarMode = parsed;
    if (startupWaitSeconds < 0 || startupWaitSeconds > InjectionSettings.MAX_STARTUP_WAIT_SECONDS) {
      LOG.warnf(
          "hotpatch.sidecar.startup-wait-seconds=%d is not within 0..%d; using %d."
              + " Fix: set the chart value sidecar.startupWaitSeconds within that range",
          startupWaitSeconds,
          InjectionSettings.MAX_STARTUP_WAIT_SECONDS,
          InjectionSettings.DEFAULT_STARTUP_WAIT_SECONDS);
      startupWaitSeconds = InjectionSettings.DEFAULT_STARTUP_WAIT_SECONDS;
    }
    this.startupWaitSeconds = startupWaitSeconds;
  }

  public InjectionSettings current() {
    return new InjectionSettings(
        sidecarImage,
        pullPolicy,
        sidecarMode,
        channelUrl,
        operatorNamespace.orElse(null),
        Set.copyOf(excludedNamespaces),
        caPem(Path.of(caFile)),
        startupWaitSeconds);
  }

  static Optional<String> caPem(Path file) {
    try {
      String pem = Files.readString(file, StandardCharsets.US_ASCII);
      if (pem.contains("-----BEGIN CERTIFICATE-----")) {
        return Optional.of(pem);
      }
      LOG.warnf(
          "%s holds no PEM certificate; sidecars get HOTPATCH_CA_FILE instead."
              + " Fix: check the ca.crt key of the operator's TLS secret",
          file);
    } catch (NoSuchFileException e) {
      LOG.debugf("%s is absent; sidecars get HOTPATCH_CA_FILE instead", file);
    } catch (IOException | RuntimeException e) {
      LOG.warnf(
          "Cannot read %s (%s); sidecars get HOTPATCH_CA_FILE instead."
              + " Fix: mount the operator's TLS secret at /etc/hotpatch/tls",
          file, e.getMessage());
    }
    return Optional.empty();
  }
}
