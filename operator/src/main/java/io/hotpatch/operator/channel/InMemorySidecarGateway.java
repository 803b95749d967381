package io.hotpatch.operator.channel;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Desired patches and reports per pod, held in memory: the store the sidecar endpoint serves from
 * ({@link #desiredFor}) and reports into ({@link #accept}).
 */
@DefaultBean
@ApplicationScoped
public class InMemorySidecarGateway implements SidecarGateway {
  /** Per pod, in the order the patches were first published: the order a JVM stacks them in. */
  private final Map<String, Map<PatchKey, DesiredPatch>> desiredByPodUid =
      new ConcurrentHashMap<>();

  private final Map<String, Map<PatchKey, PodReport>> reportsByPodUid = new ConcurrentHashMap<>();
  private final List<Consumer<PatchKey>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> desiredListeners = new CopyOnWriteArrayList<>();

  @Override
  public void publish(TargetPod pod, DesiredPatch desired) {
    Map<PatchKey, DesiredPatch> patches =
        desiredByPodUid.computeIfAbsent(pod.uid(), uid -> new LinkedHashMap<>());
    synchronized (patches) {
      if (desired.sameAs(patches.put(desired.key(), desired))) {
        return;
      }
    }
    desiredListeners.forEach(listener -> listener.accept(pod.uid()));
  }

  @Override
  public Optional<PodReport> report(TargetPod pod, PatchKey key) {
    return Optional.ofNullable(reportsByPodUid.getOrDefault(pod.uid(), Map.of()).get(key));
  }

  @Override
  public void withdraw(PatchKey key) {
    desiredByPodUid.forEach(
        (uid, patches) -> {
          boolean removed;
          synchronized (patches) {
            removed = patches.remove(key) != null;
          }
          if (removed) {
            desiredListeners.forEach(listener -> listener.accept(uid));
          }
        });
    reportsByPodUid.values().forEach(reports -> reports.remove(key));
  }

  @Override
  public void onReport(Consumer<PatchKey> listener) {
    listeners.add(listener);
  }

  /** Registers a listener told the uid of each pod whose desired patches changed. */
  public void onDesiredChange(Consumer<String> listener) {
    desiredListeners.add(listener);
  }

  /** The patches the pod's sidecar must converge to, in stacking order. */
  public List<DesiredPatch> desiredFor(String podUid) {
    Map<PatchKey, DesiredPatch> patches = desiredByPodUid.getOrDefault(podUid, Map.of());
    synchronized (patches) {
      return List.copyOf(patches.values());
    }
  }

  /** Records a sidecar's report and wakes the reconciler of that patch. */
  public void accept(String podUid, PatchKey key, PodReport report) {
    reportsByPodUid.computeIfAbsent(podUid, uid -> new ConcurrentHashMap<>()).put(key, report);
    listeners.forEach(listener -> listener.accept(key));
  }

  /** Drops everything held in memory, as an operator restart does. */
  protected void forgetAll() {
    desiredByPodUid.clear();
    reportsByPodUid.clear();
  }
}
