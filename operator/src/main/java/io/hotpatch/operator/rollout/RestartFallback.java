package io.hotpatch.operator.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Rolls the workload that owns a pod (Deployment through its ReplicaSet, StatefulSet, DaemonSet) by
 * annotating its pod template, so that new pods start with the patch. Never deletes a pod.
 */
@ApplicationScoped
public class RestartFallback {

  private final KubernetesClient client;

  public RestartFallback(KubernetesClient client) {
    this.client = client;
  }

  public FallbackResult request(HotPatch hotPatch, Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    OwnerReference owner = controllerOf(pod.getMetadata());
    if (owner == null) {
      return FallbackResult.blocked(
          null,
          Reason.PodHasNoOwner,
          "Pod "
              + namespace
              + "/"
              + pod.getMetadata().getName()
              + " has no owning workload, so it cannot be rolled: delete it yourself once a replacement"
              + " can start with the patch, or run it under a Deployment, StatefulSet or DaemonSet");
    }
    switch (owner.getKind()) {
      case "ReplicaSet" -> {
        ReplicaSet replicaSet =
            client.apps().replicaSets().inNamespace(namespace).withName(owner.getName()).get();
        OwnerReference deployment =
            replicaSet == null ? null : controllerOf(replicaSet.getMetadata());
        if (deployment == null || !"Deployment".equals(deployment.getKind())) {
          return unsupported(namespace, "ReplicaSet/" + owner.getName());
        }
        return rollDeployment(hotPatch, namespace, deployment.getName());
      }
      case "StatefulSet" -> {
        return roll(
            hotPatch,
            StatefulSet.class,
            namespace,
            owner.getName(),
            s -> s.getSpec().getTemplate());
      }
      case "DaemonSet" -> {
        return roll(
            hotPatch, DaemonSet.class, namespace, owner.getName(), d -> d.getSpec().getTemplate());
      }
      default -> {
        return unsupported(namespace, owner.getKind() + "/" + owner.getName());
      }
    }
  }

  private FallbackResult rollDeployment(HotPatch hotPatch, String namespace, String name) {
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (deployment != null && Boolean.TRUE.equals(deployment.getSpec().getPaused())) {
      return FallbackResult.blocked(
          "Deployment/" + name,
          Reason.DeploymentPaused,
          "Deployment "
              + namespace
              + "/"
              + name
              + " is paused, so the restart fallback cannot roll it: run `kubectl rollout resume"
              + " deployment/"
              + name
              + " -n "
              + namespace
              + "`");
    }
    return roll(hotPatch, Deployment.class, namespace, name, d -> d.getSpec().getTemplate());
  }

  private <T extends HasMetadata> FallbackResult roll(
      HotPatch hotPatch,
      Class<T> type,
      String namespace,
      String name,
      Function<T, PodTemplateSpec> template) {
    String workload = type.getSimpleName() + "/" + name;
    T current = client.resources(type).inNamespace(namespace).withName(name).get();
    if (current == null) {
      return FallbackResult.blocked(
          workload,
          Reason.UnsupportedOwner,
          workload
              + " in "
              + namespace
              + " owns a target pod but does not exist any more: wait for the pod to go or delete it");
    }
    String key = RestartAnnotation.key(hotPatch);
    String value = RestartAnnotation.value(hotPatch);
    if (value.equals(annotations(template.apply(current)).get(key))) {
      return FallbackResult.alreadyRequested(workload);
    }
    client
        .resources(type)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            latest -> {
              PodTemplateSpec spec = template.apply(latest);
              if (spec.getMetadata() == null) {
                spec.setMetadata(new ObjectMeta());
              }
              if (spec.getMetadata().getAnnotations() == null) {
                spec.getMetadata().setAnnotations(new HashMap<>());
              }
              spec.getMetadata().getAnnotations().put(key, value);
              return latest;
            });
    return FallbackResult.restarted(workload);
  }

  private static Map<String, String> annotations(PodTemplateSpec template) {
    return template.getMetadata() == null || template.getMetadata().getAnnotations() == null
        ? Map.of()
        : template.getMetadata().getAnnotations();
  }

  private static FallbackResult unsupported(String namespace, String workload) {
    return FallbackResult.blocked(
        workload,
        Reason.UnsupportedOwner,
        workload
            + " in "
            + namespace
            + " owns a target pod but only Deployments, StatefulSets and DaemonSets can be rolled:"
            + " restart its pods yourself so that they start with the patch");
  }

  private static OwnerReference controllerOf(ObjectMeta metadata) {
    return metadata.getOwnerReferences() == null
        ? null
        : metadata.getOwnerReferences().stream()
            .filter(ref -> Boolean.TRUE.equals(ref.getController()))
            .findFirst()
            .orElse(null);
  }
}
