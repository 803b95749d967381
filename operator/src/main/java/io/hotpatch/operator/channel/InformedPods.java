package io.hotpatch.operator.channel;

import io.fabric8.kubernetes.api.model.Pod;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The pods the operator's pod informer holds, by namespace and name: a sidecar's identity is
 * checked against them instead of a GET per connecting sidecar.
 */
@ApplicationScoped
public class InformedPods {
  private volatile BiFunction<String, String, Optional<Pod>> byName =
      (namespace, name) -> Optional.empty();

  /** The informer's pod of that name; set when the reconciler's event sources are built. */
  public void readFrom(BiFunction<String, String, Optional<Pod>> byName) {
    this.byName = byName;
  }

  /**
   * The pod as the informer last saw it; empty before it started or for a pod it does not watch.
   */
  public Optional<Pod> get(String namespace, String name) {
    return byName.apply(namespace, name);
  }
}
