package io.hotpatch.operator.bundle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.api.v1alpha1.BundleSource;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.config.OperatorSettings;
import io.hotpatch.operator.rollout.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;

/**
 * Reads a HotPatch's bundle from its ConfigMap and verifies it against the pinned sha256; a pinned
 * content already refused is refused again without reading the ConfigMap, and one verified is
 * reused for the resync interval without reading it again, so that a rollout's passes do not each
 * read up to 1 MiB from the API server. A ConfigMap deleted or changed meanwhile is noticed within
 * that interval, as it is once a rollout is complete.
 */
@ApplicationScoped
public class BundleLoader {
  /** The most bundle bytes kept verified; each bundle is the array the sidecars are sent anyway. */
  static final long MAX_VERIFIED_BYTES = 32L << 20;

  /** Where a bundle is read from and what it must be. */
  private record Source(
      String namespace, String configMap, String key, String sha256, boolean allowJdkClasses) {}

  /** The verified bundle, or the problem that stops the rollout. */
  public record LoadedBundle(String sha256, byte[] bytes, Problem problem) {
    public boolean ok() {
      return problem == null;
    }

    /**
     * The pinned content is refused for good: its bytes are pinned by spec.bundle.sha256, so only a
     * spec change, which triggers a reconcile of its own, can change the verdict.
     */
    public boolean refused() {
      return problem != null && Reason.InvalidBundle.name().equals(problem.reason());
    }
  }

  private final KubernetesClient client;
  private final BundleVerdicts verdicts;

  private final Cache<Source, LoadedBundle> verified;

  @Inject
  public BundleLoader(KubernetesClient client, BundleVerdicts verdicts, OperatorSettings settings) {
    this(client, verdicts, settings.operator().resyncInterval());
  }

  BundleLoader(KubernetesClient client, BundleVerdicts verdicts, Duration readAgainAfter) {
    this.client = client;
    this.verdicts = verdicts;
    this.verified =
        Caffeine.newBuilder()
            .maximumWeight(MAX_VERIFIED_BYTES)
            .<Source, LoadedBundle>weigher((source, bundle) -> bundle.bytes().length)
            .expireAfterWrite(readAgainAfter)
            .build();
  }

  public LoadedBundle load(HotPatch hotPatch) {
    BundleSource source = hotPatch.getSpec().getBundle();
    String namespace = hotPatch.getMetadata().getNamespace();
    String name = source.getConfigMapRef().getName();
    String key = source.getConfigMapRef().keyOrDefault();
    boolean allowJdkClasses = hotPatch.getSpec().allowsJdkClasses();
    BundleVerdicts.Verdict known = verdicts.known(source.getSha256());
    if (known != null && known.refusal(allowJdkClasses) != null) {
      return refused(namespace, name, known.refusal(allowJdkClasses));
    }
    Source where = new Source(namespace, name, key, source.getSha256(), allowJdkClasses);
    LoadedBundle recent = verified.getIfPresent(where);
    if (recent != null) {
      return recent;
    }
    ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(name).get();
    if (configMap == null) {
      return problem(
          Reason.BundleNotFound,
          "ConfigMap "
              + namespace
              + "/"
              + name
              + " does not exist: create it with"
              + " `kubectl create configmap "
              + name
              + " -n "
              + namespace
              + " --from-file="
              + key
              + "=<bundle jar>`");
    }
    String encoded = configMap.getBinaryData() == null ? null : configMap.getBinaryData().get(key);
    if (encoded == null) {
      return problem(
          Reason.BundleNotFound,
          "ConfigMap "
              + namespace
              + "/"
              + name
              + " has no binaryData key '"
              + key
              + "': store the bundle jar under that key (kubectl create configmap --from-file puts jars in binaryData)");
    }
    byte[] bytes = Base64.getDecoder().decode(encoded);
    String actual = Sha256.hex(bytes);
    if (!actual.equals(source.getSha256())) {
      return problem(
          Reason.BundleDigestMismatch,
          "Bundle in ConfigMap "
              + namespace
              + "/"
              + name
              + " key '"
              + key
              + "' has sha256 "
              + actual
              + " but spec.bundle.sha256 pins "
              + source.getSha256()
              + ": nothing was applied; fix the pin or the ConfigMap");
    }
    String refusal = verdicts.check(actual, bytes).refusal(allowJdkClasses);
    if (refusal != null) {
      return refused(namespace, name, refusal);
    }
    LoadedBundle loaded = new LoadedBundle(actual, bytes, null);
    verified.put(where, loaded);
    return loaded;
  }

  private static LoadedBundle refused(String namespace, String name, String refusal) {
    return problem(
        Reason.InvalidBundle,
        "Bundle in ConfigMap " + namespace + "/" + name + " is refused: " + refusal);
  }

  private static LoadedBundle problem(Reason reason, String message) {
    return new LoadedBundle(null, null, new Problem(reason, message));
  }
}
