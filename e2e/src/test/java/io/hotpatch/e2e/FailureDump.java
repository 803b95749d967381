package io.hotpatch.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prints what a failed e2e test needs for a diagnosis: pods and all their logs, Events, HotPatch
 * status.
 */
final class FailureDump {
  private static final int LOG_LINES = 300;

  private FailureDump() {}

  /** Dumps one namespace to stdout; never throws (a dump must not hide the failure it explains). */
  static void namespace(KubernetesClient client, String namespace) {
    StringBuilder out =
        new StringBuilder("\n===== hotpatch e2e dump of namespace " + namespace + " =====\n");
    try {
      for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
        pod(client, pod, out);
      }
      out.append("--- events\n");
      client.v1().events().inNamespace(namespace).list().getItems().stream()
          .sorted(Comparator.comparing(FailureDump::when))
          .forEach(
              e ->
                  out.append(
                      String.format(
                          "%s %s %s %s/%s: %s%n",
                          when(e),
                          e.getType(),
                          e.getReason(),
                          e.getInvolvedObject().getKind(),
                          e.getInvolvedObject().getName(),
                          e.getMessage())));
      for (GenericKubernetesResource hotPatch :
          HotPatches.resources(client, namespace).list().getItems()) {
        out.append("--- HotPatch ")
            .append(hotPatch.getMetadata().getName())
            .append('\n')
            .append(client.getKubernetesSerialization().asYaml(hotPatch));
      }
    } catch (RuntimeException e) {
      out.append("(dump incomplete: ").append(e).append(")\n");
    }
    System.out.println(out);
  }

  private static void pod(KubernetesClient client, Pod pod, StringBuilder out) {
    String name = pod.getMetadata().getName();
    out.append("--- pod ")
        .append(name)
        .append(" phase ")
        .append(pod.getStatus().getPhase())
        .append(" annotations ")
        .append(pod.getMetadata().getAnnotations())
        .append('\n');
    List<Container> containers = new ArrayList<>(pod.getSpec().getInitContainers());
    containers.addAll(pod.getSpec().getContainers());
    for (Container container : containers) {
      out.append("--- logs ").append(name).append('/').append(container.getName()).append('\n');
      try {
        out.append(
            client
                .pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(name)
                .inContainer(container.getName())
                .tailingLines(LOG_LINES)
                .getLog());
      } catch (RuntimeException e) {
        out.append("(no log: ").append(e.getMessage()).append(")\n");
      }
    }
  }

  private static String when(Event event) {
    if (event.getLastTimestamp() != null) {
      return event.getLastTimestamp();
    }
    return event.getEventTime() != null ? event.getEventTime().getTime() : "";
  }
}
