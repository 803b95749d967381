package io.hotpatch.operator.channel.http;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.channel.TargetPod;
import io.hotpatch.operator.events.KubeEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Outcomes a sidecar reports for a patch its pod is not ordered to run (a HotPatch deleted, or
 * deleted and created again): all counted; logged and recorded as a Warning Event on the HotPatch
 * they name, or on the pod when that HotPatch is gone, once per patch and {@link #QUIET}, and at
 * most {@link #NOTICES_PER_MINUTE} times a minute, so a fleet of sidecars cannot multiply Events.
 */
@ApplicationScoped
public class UnplacedOutcomes {
  static final Duration QUIET = Duration.ofMinutes(10);
  static final int NOTICES_PER_MINUTE = 20;

  /** Patches remembered for the quiet period; the oldest is forgotten beyond it. */
  static final int REMEMBERED = 4096;

  private static final Logger LOG = Logger.getLogger(UnplacedOutcomes.class);
  private static final String COMPONENT = "hotpatch-operator";

  private final KubernetesClient client;
  private final ManagedExecutor executor;
  private final Counter unplaced;
  private Instant minuteStart = Instant.EPOCH;
  private int noticesThisMinute;
  private final Map<String, Instant> lastNotice =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > REMEMBERED;
        }
      };

  public UnplacedOutcomes(
      KubernetesClient client, ManagedExecutor executor, MeterRegistry registry) {
    this.client = client;
    this.executor = executor;
    this.unplaced =
        Counter.builder("hotpatch.channel.outcomes.unplaced")
            .description("Outcomes sidecars reported for patches their pods are not ordered to run")
            .register(registry);
  }

  /**
   * Notes an outcome that names {@code patch} (namespace/name), which is not desired for the pod.
   */
  public void note(TargetPod pod, PatchOutcome outcome, String why) {
    unplaced.increment();
    String patch = bounded(outcome.getPatch());
    if (!mayNotice(pod.namespace() + " " + patch + " " + outcome.getUid(), Instant.now())) {
      return;
    }
    String message =
        "Pod "
            + pod.namespace()
            + "/"
            + pod.name()
            + " reported "
            + outcome.getState()
            + " for "
            + "HotPatch "
            + patch
            + " (uid "
            + bounded(outcome.getUid())
            + ", bundle "
            + bounded(outcome.getSha256())
            + "), which "
            + why
            + ": the outcome is ignored and the sidecar is told its current patches again;"
            + " if this repeats, run a sidecar of the operator's version";
    LOG.warn(message);
    executor.runAsync(() -> record(pod, patch, message));
  }

  private synchronized boolean mayNotice(String key, Instant now) {
    Instant last = lastNotice.get(key);
    if (last != null && last.plus(QUIET).isAfter(now)) {
      return false;
    }
    if (!minuteStart.plus(Duration.ofMinutes(1)).isAfter(now)) {
      minuteStart = now;
      noticesThisMinute = 0;
    }
    if (noticesThisMinute >= NOTICES_PER_MINUTE) {
      return false;
    }
    noticesThisMinute++;
    lastNotice.put(key, now);
    return true;
  }

  private void record(TargetPod pod, String patch, String message) {
    try {
      HotPatch named = named(pod.namespace(), patch);
      ObjectReference involved =
          named != null
              ? new ObjectReferenceBuilder()
                  .withApiVersion(named.getApiVersion())
                  .withKind(named.getKind())
                  .withNamespace(named.getMetadata().getNamespace())
                  .withName(named.getMetadata().getName())
                  .withUid(named.getMetadata().getUid())
                  .build()
              : new ObjectReferenceBuilder()
                  .withApiVersion("v1")
                  .withKind("Pod")
                  .withNamespace(pod.namespace())
                  .withName(pod.name())
                  .withUid(pod.uid())
                  .build();
      KubeEvents.record(
          client,
          involved.getName(),
          involved,
          true,
          Reason.UnplacedOutcome.name(),
          message,
          COMPONENT,
          1);
    } catch (RuntimeException e) {
      LOG.warnf(
          "Could not record event %s for pod %s/%s: %s",
          Reason.UnplacedOutcome, pod.namespace(), pod.name(), e.getMessage());
    }
  }

  /** The HotPatch {@code namespace/name} names, when it lives in the pod's namespace and exists. */
  private HotPatch named(String podNamespace, String patch) {
    int slash = patch.indexOf('/');
    if (slash <= 0 || !patch.substring(0, slash).equals(podNamespace)) {
      return null;
    }
    return client
        .resources(HotPatch.class)
        .inNamespace(podNamespace)
        .withName(patch.substring(slash + 1))
        .get();
  }

  /** A sidecar's string, cut to what a name, uid or digest can be, and "none" when empty. */
  private static String bounded(String value) {
    return value == null || value.isEmpty()
        ? "none"
        : value.substring(0, Math.min(value.length(), 256));
  }
}
