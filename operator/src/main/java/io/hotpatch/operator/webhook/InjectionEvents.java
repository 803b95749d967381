package io.hotpatch.operator.webhook;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.operator.events.KubeEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/** Records the webhook's notes as Warning Events in the pod's namespace, after the answer is sent. */
@ApplicationScoped
public class InjectionEvents {
  static final String REASON_NOT_INJECTED = "HotpatchNotInjected";
  static final String REASON_INJECTED_WITH_NOTE = "HotpatchInjectedWithNote";
  private static final Logger LOG = Logger.getLogger(InjectionEvents.class);
  private static final String COMPONENT = "hotpatch-webhook";

  private final KubernetesClient client;
  private final ManagedExecutor executor;

  public InjectionEvents(KubernetesClient client, ManagedExecutor executor) {
    this.client = client;
    this.executor = executor;
  }

  /** Asynchronous: a slow API server must not push the webhook past its timeout. */
  public void record(AdmissionHandler.Notice notice) {
    if (notice.namespace() == null || notice.namespace().isEmpty()) {
      return;
    }
    executor.runAsync(() -> create(notice));
  }

  private void create(AdmissionHandler.Notice notice) {
    String name = notice.podName();
    String podName = name.isEmpty() ? "pod" : name.substring(0, Math.min(200, name.length()));
    String reason = notice.injected() ? REASON_INJECTED_WITH_NOTE : REASON_NOT_INJECTED;
    // No uid yet: the pod is still being admitted, and a generateName pod has no name either.
    ObjectReference pod = new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
        .withNamespace(notice.namespace()).withName(notice.podName()).build();
    try {
      KubeEvents.create(client, podName.toLowerCase(Locale.ROOT) + (podName.endsWith("-") ? "" : ".") + "hotpatch",
          pod, true, reason, notice.message(), COMPONENT);
    } catch (RuntimeException e) {
      LOG.warnf("Could not record event %s for pod %s/%s: %s (the pod's %s annotation says the same)",
          reason, notice.namespace(), notice.podName(), e.getMessage(), PodInjector.NOTE_ANNOTATION);
    }
  }
}
