package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The checks of the `restricted` Pod Security Standard (baseline included) that concern a pod's
 * containers, host namespaces and volumes, as the PodSecurity admission controller applies them.
 */
final class RestrictedPodSecurity {
  private static final Set<String> ALLOWED_VOLUMES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");
  private static final Set<String> ALLOWED_SECCOMP = Set.of("RuntimeDefault", "Localhost");

  private RestrictedPodSecurity() {}

  /**
   * Violations of the pod-wide rules and of the container rules for the named containers (all
   * kinds).
   */
  static List<String> violations(JsonNode pod, Collection<String> containerNames) {
    List<String> found = new ArrayList<>();
    JsonNode spec = pod.path("spec");
    for (String hostNamespace : List.of("hostNetwork", "hostPID", "hostIPC")) {
      if (spec.path(hostNamespace).asBoolean(false)) {
        found.add("pod: " + hostNamespace + " is true");
      }
    }
    for (JsonNode volume : spec.path("volumes")) {
      volume
          .fieldNames()
          .forEachRemaining(
              field -> {
                if (!field.equals("name") && !ALLOWED_VOLUMES.contains(field)) {
                  found.add(
                      "volume "
                          + volume.path("name").asText()
                          + ": type "
                          + field
                          + " is not allowed");
                }
              });
    }
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      for (JsonNode container : spec.path(list)) {
        if (containerNames.contains(container.path("name").asText())) {
          checkContainer(spec.path("securityContext"), container, found);
        }
      }
    }
    return found;
  }

  static List<String> names(JsonNode pod) {
    List<String> names = new ArrayList<>();
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      pod.path("spec").path(list).forEach(container -> names.add(container.path("name").asText()));
    }
    return names;
  }

  private static void checkContainer(JsonNode podContext, JsonNode container, List<String> found) {
    String name = "container " + container.path("name").asText() + ": ";
    JsonNode context = container.path("securityContext");
    if (context.path("privileged").asBoolean(false)) {
      found.add(name + "privileged");
    }
    if (!context.path("allowPrivilegeEscalation").isBoolean()
        || context.path("allowPrivilegeEscalation").asBoolean()) {
      found.add(name + "allowPrivilegeEscalation is not false");
    }
    boolean dropsAll = false;
    for (JsonNode drop : context.path("capabilities").path("drop")) {
      dropsAll |= drop.asText().equals("ALL");
    }
    if (!dropsAll) {
      found.add(name + "capabilities do not drop ALL");
    }
    for (JsonNode add : context.path("capabilities").path("add")) {
      if (!add.asText().equals("NET_BIND_SERVICE")) {
        found.add(name + "adds capability " + add.asText());
      }
    }
    JsonNode nonRoot = effective(context, podContext, "runAsNonRoot");
    if (nonRoot == null || !nonRoot.asBoolean(false)) {
      found.add(name + "runAsNonRoot is not true");
    }
    JsonNode user = effective(context, podContext, "runAsUser");
    if (user != null && user.asLong() == 0) {
      found.add(name + "runAsUser is 0");
    }
    JsonNode seccomp = effective(context, podContext, "seccompProfile");
    if (seccomp == null || !ALLOWED_SECCOMP.contains(seccomp.path("type").asText())) {
      found.add(name + "seccompProfile is not RuntimeDefault or Localhost");
    }
    for (JsonNode port : container.path("ports")) {
      if (port.path("hostPort").asInt(0) != 0) {
        found.add(name + "uses hostPort " + port.path("hostPort").asInt());
      }
    }
  }

  /**
   * The container's setting, else the pod's (as PodSecurity reads runAsNonRoot, runAsUser and
   * seccomp).
   */
  private static JsonNode effective(JsonNode container, JsonNode pod, String field) {
    JsonNode value = container.path(field);
    if (!value.isMissingNode() && !value.isNull()) {
      return value;
    }
    value = pod.path(field);
    return value.isMissingNode() || value.isNull() ? null : value;
  }
}
