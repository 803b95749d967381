package io.hotpatch.operator.bundle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleException;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.api.v1alpha1.BundleSource;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.rollout.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;

/** Reads a HotPatch's bundle from its ConfigMap and verifies it against the pinned sha256. */
@ApplicationScoped
public class BundleLoader {
  public static final String NOT_FOUND = "BundleNotFound";
  public static final String DIGEST_MISMATCH = "BundleDigestMismatch";
  public static final String INVALID = "InvalidBundle";

  /** The verified bundle, or the problem that stops the rollout. */
  public record LoadedBundle(String sha256, byte[] bytes, Problem problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  private final KubernetesClient client;

  public BundleLoader(KubernetesClient client) {
    this.client = client;
  }

  public LoadedBundle load(HotPatch hotPatch) {
    BundleSource source = hotPatch.getSpec().getBundle();
    String namespace = hotPatch.getMetadata().getNamespace();
    String name = source.getConfigMapRef().getName();
    String key = source.getConfigMapRef().keyOrDefault();
    ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(name).get();
    if (configMap == null) {
      return problem(NOT_FOUND, "ConfigMap " + namespace + "/" + name + " does not exist: create it with"
          + " `kubectl create configmap " + name + " -n " + namespace + " --from-file=" + key + "=<bundle jar>`");
    }
    String encoded = configMap.getBinaryData() == null ? null : configMap.getBinaryData().get(key);
    if (encoded == null) {
      return problem(NOT_FOUND, "ConfigMap " + namespace + "/" + name + " has no binaryData key '" + key
          + "': store the bundle jar under that key (kubectl create configmap --from-file puts jars in binaryData)");
    }
    byte[] bytes = Base64.getDecoder().decode(encoded);
    String actual = Sha256.hex(bytes);
    if (!actual.equals(source.getSha256())) {
      return problem(DIGEST_MISMATCH, "Bundle in ConfigMap " + namespace + "/" + name + " key '" + key
          + "' has sha256 " + actual + " but spec.bundle.sha256 pins " + source.getSha256()
          + ": nothing was applied; fix the pin or the ConfigMap");
    }
    try {
      Bundle.read(bytes);
    } catch (BundleException e) {
      return problem(INVALID, "Bundle in ConfigMap " + namespace + "/" + name + " is not a valid patch bundle: "
          + e.getMessage());
    }
    return new LoadedBundle(actual, bytes, null);
  }

  private static LoadedBundle problem(String reason, String message) {
    return new LoadedBundle(null, null, new Problem(reason, message));
  }
}
