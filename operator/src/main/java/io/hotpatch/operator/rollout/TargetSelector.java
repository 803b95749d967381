package io.hotpatch.operator.rollout;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.channel.TargetPod;
import io.hotpatch.operator.status.ConditionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the pods a HotPatch targets: its own namespace only, matched by its selector. Reads the pod
 * informer's cache (the reconciler's event source), never the API server: a reconcile per report of
 * a 10,000-pod fleet must not LIST 10,000 pods each time.
 */
@ApplicationScoped
public class TargetSelector {
  private volatile Function<String, Stream<Pod>> podsInNamespace;

  /** The informer's pods of a namespace; set when the reconciler's event sources are built. */
  public void readFrom(Function<String, Stream<Pod>> podsInNamespace) {
    this.podsInNamespace = podsInNamespace;
  }

  public List<Target> select(HotPatch hotPatch) {
    String namespace = hotPatch.getMetadata().getNamespace();
    return podsInNamespace
        .apply(namespace)
        .filter(
            pod ->
                LabelSelectors.matches(
                    hotPatch.getSpec().getSelector(), pod.getMetadata().getLabels()))
        // The cache is already scoped by namespace; the check keeps it honest.
        .filter(pod -> namespace.equals(pod.getMetadata().getNamespace()))
        .filter(TargetSelector::alive)
        .map(pod -> toTarget(pod, hotPatch))
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing(Target::name))
        .toList();
  }

  private static boolean alive(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return pod.getMetadata().getDeletionTimestamp() == null
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  private static Optional<Target> toTarget(Pod pod, HotPatch hotPatch) {
    String wanted = hotPatch.getSpec().getContainerName();
    var containers = pod.getSpec().getContainers();
    if (containers.isEmpty()
        || (wanted != null && containers.stream().noneMatch(c -> wanted.equals(c.getName())))) {
      return Optional.empty();
    }
    String container = wanted != null ? wanted : containers.get(0).getName();
    var status = pod.getStatus();
    Optional<ContainerStatus> containerStatus =
        status == null || status.getContainerStatuses() == null
            ? Optional.empty()
            : status.getContainerStatuses().stream()
                .filter(s -> container.equals(s.getName()))
                .findFirst();
    boolean running = status != null && "Running".equals(status.getPhase());
    boolean ready =
        status != null
            && status.getConditions() != null
            && status.getConditions().stream()
                .anyMatch(
                    c -> "Ready".equals(c.getType()) && ConditionStatus.isTrue(c.getStatus()));
    int restarts = containerStatus.map(ContainerStatus::getRestartCount).orElse(0);
    var ref =
        new TargetPod(
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            pod.getMetadata().getUid(),
            wanted);
    Instant startedAt =
        containerStatus
            .map(ContainerStatus::getState)
            .map(s -> s.getRunning())
            .map(r -> r.getStartedAt())
            .map(t -> OffsetDateTime.parse(t).toInstant())
            .orElse(null);
    return Optional.of(
        new Target(
            pod,
            ref,
            running,
            ready,
            restarts,
            startedAt,
            RestartAnnotation.marks(pod.getMetadata().getAnnotations(), hotPatch)));
  }
}
