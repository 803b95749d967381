package io.hotpatch.operator.channel;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one way the reconciler talks to sidecars: it publishes each pod's desired patches and reads
 * back what the pod reported.
 *
 * <p>Publishing is declarative and idempotent: publishing the same desired patch again changes
 * nothing, and a sidecar converges its JVM to what is published (it re-applies after the app
 * container restarts). The reconciler republishes from HotPatch status after an operator restart,
 * so an implementation may keep its state in memory. A pod that the restart fallback created for a
 * patch carries the workload's restart annotation; its sidecar should wait for that patch to be
 * published before the JVM starts, so that the JVM starts with it.
 */
public interface SidecarGateway {

  /** Sets what the pod's sidecar must do with one patch, replacing what was published before. */
  void publish(TargetPod pod, DesiredPatch desired);

  /** The latest report the pod's sidecar sent for the patch, if any. */
  Optional<PodReport> report(TargetPod pod, PatchKey key);

  /** Forgets the patch everywhere without touching any JVM (sidecars stop converging to it). */
  void withdraw(PatchKey key);

  /** Registers a listener told which patch got a new report, so that it is reconciled at once. */
  void onReport(Consumer<PatchKey> listener);
}
