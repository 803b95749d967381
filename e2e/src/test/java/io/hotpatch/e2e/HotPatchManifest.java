package io.hotpatch.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A HotPatch manifest that starts from examples/hotpatch.yaml (so the example stays applicable) and
 * changes only what a scenario needs: name, namespace, bundle, strategy, onDelete.
 */
final class HotPatchManifest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private final GenericKubernetesResource resource;

  private HotPatchManifest(GenericKubernetesResource resource) {
    this.resource = resource;
  }

  /**
   * The example, renamed into {@code namespace} and pointed at {@code bundle}, with no canary soak.
   */
  static HotPatchManifest fromExample(
      Path repo, String namespace, String name, PatchBundle bundle) {
    Path example = repo.resolve("examples/hotpatch.yaml");
    GenericKubernetesResource resource;
    try (InputStream in = Files.newInputStream(example)) {
      resource = SERIALIZATION.unmarshal(in, GenericKubernetesResource.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + example + ": " + e.getMessage(), e);
    }
    resource.getMetadata().setNamespace(namespace);
    resource.getMetadata().setName(name);
    HotPatchManifest manifest = new HotPatchManifest(resource);
    Map<String, Object> source = manifest.map("spec", "bundle");
    manifest.map("spec", "bundle", "configMapRef").put("name", bundle.configMap());
    manifest.map("spec", "bundle", "configMapRef").put("key", PatchBundle.KEY);
    source.put("sha256", bundle.sha256());
    return manifest.canary(0, 0);
  }

  HotPatchManifest canary(int pods, int soakSeconds) {
    Map<String, Object> canary = map("spec", "strategy", "canary");
    canary.put("pods", pods);
    canary.put("soakSeconds", soakSeconds);
    return this;
  }

  /** A pod count ("1") or a percentage ("25%"). */
  HotPatchManifest maxParallel(String value) {
    map("spec", "strategy")
        .put("maxParallel", value.endsWith("%") ? value : Integer.valueOf(value));
    return this;
  }

  /** EphemeralContainer, RestartWorkload or Skip: what pods without the sidecar get. */
  HotPatchManifest uninjectedPods(String delivery) {
    map("spec", "delivery").put("uninjectedPods", delivery);
    return this;
  }

  /** Keep or Revert. */
  HotPatchManifest onDelete(String policy) {
    map("spec").put("onDelete", policy);
    return this;
  }

  /** A copy, so that nothing a client does to what it sends can change the next apply. */
  GenericKubernetesResource resource() {
    return SERIALIZATION.clone(resource);
  }

  /** The nested map at {@code path} under the resource root, created where missing. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> map(String... path) {
    Map<String, Object> current = resource.getAdditionalProperties();
    for (String key : path) {
      current =
          (Map<String, Object>)
              current.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }
    return current;
  }
}
