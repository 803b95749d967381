package io.hotpatch.operator.channel;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.HealthState;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gateway whose pods run simulated sidecars: each converges its own simulated JVM to what is
 * published, after a delay, and reports APPLIED, FAILED, NOT_HOT_APPLICABLE... as configured. The
 * in-memory store it inherits is the operator's memory; the simulated JVMs outlive it.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestingSidecarGateway extends InMemorySidecarGateway {

  /** How one pod's sidecar and JVM behave. */
  public static final class Behavior {
    volatile ResultState result = ResultState.APPLIED;
    volatile Duration delay = Duration.ofMillis(50);
    volatile boolean startedWithBundle;
    volatile boolean silent;
    volatile HealthState health = HealthState.PASSING;
    volatile String healthMessage = "GET http://127.0.0.1:8080/health answered 200";

    public Behavior result(ResultState value) {
      result = value;
      return this;
    }

    public Behavior delay(Duration value) {
      delay = value;
      return this;
    }

    /** The JVM started with the patch's bundle on its agent path (a pod of a rolled workload). */
    public Behavior startedWithBundle() {
      startedWithBundle = true;
      return this;
    }

    /** The verdict the sidecar reports for an applied patch whose order carries a health check. */
    public Behavior health(HealthState state, String message) {
      health = state;
      healthMessage = message;
      return this;
    }

    /** No sidecar in the pod: nothing is ever reported. */
    public Behavior silent() {
      silent = true;
      return this;
    }
  }

  /** One thing a sidecar did to its JVM. */
  public record Operation(String pod, DesiredPatch.Action action, Instant at) {}

  private final Map<String, Behavior> behaviors = new ConcurrentHashMap<>();
  private final Map<String, SimulatedPod> pods = new ConcurrentHashMap<>();
  private final List<Operation> operations = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> publishCalls = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sidecarThreads = Executors.newScheduledThreadPool(2);

  public Behavior behave(String namespace, String pod) {
    return behaviors.computeIfAbsent(namespace + "/" + pod, k -> new Behavior());
  }

  @Override
  public void publish(TargetPod pod, DesiredPatch desired) {
    DesiredPatch before =
        desiredFor(pod.uid()).stream()
            .filter(d -> d.key().equals(desired.key()))
            .findFirst()
            .orElse(null);
    super.publish(pod, desired);
    publishCalls.merge(pod.namespace(), 1, Integer::sum);
    if (!desired.sameAs(before)) {
      SimulatedPod simulated = pods.computeIfAbsent(pod.uid(), uid -> new SimulatedPod(pod));
      sidecarThreads.schedule(
          () -> simulated.converge(desired),
          behave(pod.namespace(), pod.name()).delay.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The operator process restarts: its memory goes, the pods' JVMs and sidecars stay and re-report.
   */
  public void simulateOperatorRestart() {
    forgetAll();
    pods.values().forEach(SimulatedPod::heartbeat);
  }

  /**
   * The app container restarts: a new JVM without patches, which the sidecar converges again. Call
   * it after the pod's container status shows the new start, as a kubelet starts the container
   * first.
   */
  public void restartJvm(String namespace, String pod) {
    pods.values().stream()
        .filter(p -> p.ref.namespace().equals(namespace) && p.ref.name().equals(pod))
        .forEach(SimulatedPod::restart);
  }

  /**
   * The pod's sidecar sees something new about its JVM (it exited, the patch is gone, the check
   * answers otherwise): it reports its applied patches again with this verdict, check or not.
   */
  public void verdict(String namespace, String pod, HealthState state, String message) {
    behave(namespace, pod).health(state, message);
    pods.values().stream()
        .filter(p -> p.ref.namespace().equals(namespace) && p.ref.name().equals(pod))
        .forEach(p -> p.reportHealth(state, message));
  }

  /** Hot applies the pod's JVMs performed (each JVM counts separately). */
  public long hotApplies(String namespace, String pod) {
    return count(namespace, pod, DesiredPatch.Action.APPLY);
  }

  public long reverts(String namespace, String pod) {
    return count(namespace, pod, DesiredPatch.Action.REVERT);
  }

  /** Everything the sidecars of a namespace did, in order. */
  public List<Operation> operations(String namespace) {
    return operations.stream().filter(o -> o.pod().startsWith(namespace + "/")).toList();
  }

  /**
   * How often the reconciler published to pods of the namespace, repeats included (one per pod and
   * reconcile).
   */
  public int publishCalls(String namespace) {
    return publishCalls.getOrDefault(namespace, 0);
  }

  /** Whether anything was ever published to a pod of this namespace. */
  public boolean touched(String namespace) {
    return pods.values().stream().anyMatch(p -> p.ref.namespace().equals(namespace));
  }

  private long count(String namespace, String pod, DesiredPatch.Action action) {
    return operations.stream()
        .filter(o -> o.pod().equals(namespace + "/" + pod) && o.action() == action)
        .count();
  }

  /** A pod's sidecar and the JVM it patches. */
  private final class SimulatedPod {
    private final TargetPod ref;
    private final Set<String> applied = ConcurrentHashMap.newKeySet();
    private final Map<PatchKey, PodReport> lastReports = new ConcurrentHashMap<>();
    private volatile Instant jvmStartedAt = Instant.now();

    SimulatedPod(TargetPod ref) {
      this.ref = ref;
    }

    synchronized void converge(DesiredPatch desired) {
      Behavior behavior = behave(ref.namespace(), ref.name());
      if (behavior.silent) {
        return;
      }
      String patch = desired.key() + "@" + desired.sha256();
      if (desired.action() == DesiredPatch.Action.REVERT) {
        if (applied.remove(patch)) {
          operations.add(new Operation(name(), DesiredPatch.Action.REVERT, Instant.now()));
        }
        report(desired, ResultState.REVERTED, null, "reverted");
        return;
      }
      if (applied.contains(patch)) {
        return; // converged already: nothing to do, the last report stands
      }
      if (behavior.startedWithBundle) {
        applied.add(patch);
        report(desired, ResultState.APPLIED, PatchMethod.STARTUP, "applied at JVM start");
      } else if (!desired.hotAllowed()) {
        return; // staged for the next JVM start only
      } else if (behavior.result == ResultState.APPLIED) {
        applied.add(patch);
        operations.add(new Operation(name(), DesiredPatch.Action.APPLY, Instant.now()));
        report(desired, ResultState.APPLIED, PatchMethod.HOT, "redefined 1 class");
      } else {
        report(desired, behavior.result, null, "simulated " + behavior.result);
      }
    }

    synchronized void restart() {
      jvmStartedAt = Instant.now();
      applied.clear();
      lastReports.clear();
      desiredFor(ref.uid())
          .forEach(
              desired ->
                  sidecarThreads.schedule(
                      () -> converge(desired),
                      behave(ref.namespace(), ref.name()).delay.toMillis(),
                      TimeUnit.MILLISECONDS));
    }

    synchronized void reportHealth(HealthState state, String message) {
      lastReports.forEach(
          (key, last) -> {
            if (last.state() == ResultState.APPLIED) {
              PodReport report =
                  new PodReport(
                      last.sha256(),
                      last.state(),
                      last.method(),
                      last.message(),
                      last.jvmStartedAt(),
                      state,
                      message);
              lastReports.put(key, report);
              accept(ref.uid(), key, report);
            }
          });
    }

    void heartbeat() {
      lastReports.forEach((key, report) -> accept(ref.uid(), key, report));
    }

    private void report(
        DesiredPatch desired, ResultState state, PatchMethod method, String message) {
      Behavior behavior = behave(ref.namespace(), ref.name());
      boolean watched = desired.healthCheck() != null && state == ResultState.APPLIED;
      PodReport report =
          new PodReport(
              desired.sha256(),
              state,
              method,
              message,
              jvmStartedAt,
              watched ? behavior.health : null,
              watched ? behavior.healthMessage : "");
      lastReports.put(desired.key(), report);
      accept(ref.uid(), desired.key(), report);
    }

    private String name() {
      return ref.namespace() + "/" + ref.name();
    }
  }
}
