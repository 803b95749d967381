package io.hotpatch.operator.bundle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.api.v1alpha1.BundleSource;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.rollout.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;

/**
 * Reads a HotPatch's bundle from its ConfigMap and verifies it against the pinned sha256; a pinned
 * content already refused is refused again without reading the ConfigMap.
 */
@ApplicationScoped
public class BundleLoader {

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

  public BundleLoader(KubernetesClient client, BundleVerdicts verdicts) {
    this.client = client;
    this.verdicts = verdicts;
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
    return refusal != null
        ? refused(namespace, name, refusal)
        : new LoadedBundle(actual, bytes, null);
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
