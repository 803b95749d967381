package io.hotpatch.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import java.util.Map;
import java.util.Optional;

/**
 * HotPatch resources: written through the generic API from the example manifest (so that only the
 * fields a scenario sets are applied), read back into the operator's own model (hotpatch-api).
 */
final class HotPatches {
  static final ResourceDefinitionContext CONTEXT =
      new ResourceDefinitionContext.Builder()
          .withGroup("hotpatch.io")
          .withVersion("v1alpha1")
          .withKind("HotPatch")
          .withPlural("hotpatches")
          .withNamespaced(true)
          .build();
  private static final String FIELD_MANAGER = "hotpatch-e2e";

  private HotPatches() {}

  static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      resources(KubernetesClient client, String namespace) {
    return client.genericKubernetesResources(CONTEXT).inNamespace(namespace);
  }

  /**
   * Server-side apply, as `kubectl apply --server-side` and GitOps tools do: the same manifest
   * twice is a no-op.
   */
  static void apply(KubernetesClient client, GenericKubernetesResource manifest) {
    resources(client, manifest.getMetadata().getNamespace())
        .resource(manifest)
        .fieldManager(FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }

  static GenericKubernetesResource get(KubernetesClient client, String namespace, String name) {
    return resources(client, namespace).withName(name).get();
  }

  /** The status as the operator wrote it (empty before the first reconcile). */
  static HotPatchStatus status(KubernetesClient client, String namespace, String name) {
    GenericKubernetesResource hotPatch = get(client, namespace, name);
    Object status = hotPatch == null ? null : hotPatch.getAdditionalProperties().get("status");
    return client
        .getKubernetesSerialization()
        .convertValue(status == null ? Map.of() : status, HotPatchStatus.class);
  }

  /** Ready=True for {@code generation}, the spec the status describes. */
  static boolean isReady(HotPatchStatus status, long generation) {
    return status.getObservedGeneration() != null
        && status.getObservedGeneration() == generation
        && status.getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The status entry of pod {@code name}. */
  static Optional<PodPatchStatus> pod(HotPatchStatus status, String name) {
    return status.getPods().stream().filter(p -> name.equals(p.getName())).findFirst();
  }
}
