package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether an admitted pod gets the hotpatch sidecar and computes the JSON patch that adds
 * it. Pure: no I/O. Throws MalformedPodException when a field has the wrong JSON type.
 */
public final class PodInjector {
  public static final String INJECT_KEY = "hotpatch.io/inject";
  public static final String CONTAINER_ANNOTATION = "hotpatch.io/container";
  public static final String NOTE_ANNOTATION = "hotpatch.io/injection-note";
  static final Set<String> SYSTEM_NAMESPACES =
      Set.of("kube-system", "kube-public", "kube-node-lease");
  private static final Set<String> OUR_VOLUMES =
      Set.of(
          SidecarTemplates.SHARED_VOLUME,
          SidecarTemplates.TMP_VOLUME,
          SidecarTemplates.TOKEN_VOLUME);

  private final InjectionSettings settings;
  private final SidecarTemplates templates;

  public PodInjector(InjectionSettings settings) {
    this.settings = settings;
    this.templates = new SidecarTemplates(settings);
  }

  /**
   * @param operation the admission operation (only CREATE is injected)
   * @param namespace the request's namespace (the pod's own metadata may not have it yet)
   */
  public Injection inject(String operation, String namespace, JsonNode pod) {
    if (!"CREATE".equals(operation) || pod == null || !pod.isObject()) {
      return Injection.none();
    }
    ObjectNode metadata = Json.object(pod, "metadata");
    String ns =
        namespace == null || namespace.isEmpty() ? Json.text(metadata, "namespace") : namespace;
    if (ns == null
        || SYSTEM_NAMESPACES.contains(ns)
        || ns.equals(settings.operatorNamespace())
        || settings.excludedNamespaces().contains(ns)) {
      return Injection.none();
    }
    ObjectNode annotations = Json.object(metadata, "annotations");
    if (!"true".equals(Json.text(Json.object(metadata, "labels"), INJECT_KEY))
        && !"true".equals(Json.text(annotations, INJECT_KEY))) {
      return Injection.none();
    }
    ObjectNode spec = Json.object(pod, "spec");
    ArrayNode containers = Json.array(spec, "containers");
    if (containers == null || containers.isEmpty()) {
      return Injection.none();
    }
    List<String> containerNames = names(containers, "containers");
    List<String> initNames = names(Json.array(spec, "initContainers"), "initContainers");
    if (containerNames.contains(SidecarTemplates.SIDECAR_NAME)
        || initNames.contains(SidecarTemplates.SIDECAR_NAME)) {
      return Injection.none();
    }
    return new Plan(metadata, annotations, spec, containers, containerNames, initNames).build();
  }

  private static List<String> names(ArrayNode array, String what) {
    List<String> names = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        String name = Json.text(Json.element(array, i, what), "name");
        names.add(name == null ? "" : name);
      }
    }
    return names;
  }

  /** One pod's injection, built step by step; a refusal replaces the whole patch with a note. */
  private final class Plan {
    private final ObjectNode metadata;
    private final ObjectNode annotations;
    private final ObjectNode spec;
    private final ArrayNode containers;
    private final List<String> containerNames;
    private final List<String> initNames;
    private final List<String> notes = new ArrayList<>();
    private final PatchOps ops = new PatchOps();

    Plan(
        ObjectNode metadata,
        ObjectNode annotations,
        ObjectNode spec,
        ArrayNode containers,
        List<String> containerNames,
        List<String> initNames) {
      this.metadata = metadata;
      this.annotations = annotations;
      this.spec = spec;
      this.containers = containers;
      this.containerNames = containerNames;
      this.initNames = initNames;
    }

    Injection build() {
      if (Json.isTrue(spec, "hostNetwork")) {
        return refuse(
            "hostNetwork pods are never injected; run the pod without hostNetwork or drop the "
                + INJECT_KEY
                + " label");
      }
      String wanted = Json.text(annotations, CONTAINER_ANNOTATION);
      int target = wanted == null ? 0 : containerNames.indexOf(wanted);
      if (target < 0) {
        return refuse(
            "annotation "
                + CONTAINER_ANNOTATION
                + " names container \""
                + wanted
                + "\" but the pod has only "
                + containerNames
                + "; name one of those");
      }
      String clash = clash();
      if (clash != null) {
        return refuse(clash);
      }
      ObjectNode container = Json.element(containers, target, "containers");
      String targetName = containerNames.get(target);
      if (mountsAt(container, SidecarTemplates.HOTPATCH_DIR)) {
        return refuse(
            "container \""
                + targetName
                + "\" already mounts a volume at "
                + SidecarTemplates.HOTPATCH_DIR
                + "; move that mount");
      }
      RunAs runAs =
          RunAs.of(Json.object(spec, "securityContext"), Json.object(container, "securityContext"));
      if (runAs.uid() == null) {
        return refuse(
            "the pod spec does not say which UID container \""
                + targetName
                + "\" runs as, and the sidecar"
                + " must run as the same UID; set securityContext.runAsUser (non-zero) on the pod or the container");
      }
      if (runAs.uid() == 0) {
        return refuse(
            "container \""
                + targetName
                + "\" runs as root (runAsUser 0) and the sidecar never does;"
                + " run the app as a non-zero runAsUser");
      }
      if (runAs.gid() == null) {
        notes.add(
            "the pod spec sets no runAsGroup for container \""
                + targetName
                + "\", so the sidecar runs with"
                + " its image's group and cannot attach if the app's group differs; set securityContext.runAsGroup");
      }
      addContainers(runAs, targetName);
      changeTarget(container, "/spec/containers/" + target, targetName);
      ops.append(spec, "/spec", "volumes", templates.volumes());
      ops.set("/spec", "shareProcessNamespace", BooleanNode.TRUE);
      String note = notes.isEmpty() ? null : "sidecar injected; " + String.join("; ", notes);
      if (note != null) {
        putNote(ops, note);
      }
      return new Injection(ops.toJson(), true, note);
    }

    private void addContainers(RunAs runAs, String targetName) {
      RestartedFor.Uids restartedFor = RestartedFor.of(annotations);
      if (restartedFor.dropped() > 0) {
        notes.add(
            "the pod has more than "
                + RestartedFor.MAX
                + " restart.hotpatch.io/ annotations; its init step"
                + " waits only for the first "
                + RestartedFor.MAX
                + "; remove those of deleted HotPatches from the pod"
                + " template");
      }
      JsonNode init = templates.initContainer(runAs, targetName, restartedFor.uids());
      JsonNode sidecar = templates.sidecar(runAs, targetName);
      if (settings.mode() == SidecarMode.NATIVE) {
        ops.prepend(spec, "/spec", "initContainers", List.of(init, sidecar));
      } else {
        ops.prepend(spec, "/spec", "initContainers", List.of(init));
        ops.append(spec, "/spec", "containers", List.of(sidecar));
      }
    }

    /**
     * Mounts the shared volume, names the container for the sidecar, and appends the agent flags.
     */
    private void changeTarget(ObjectNode container, String path, String name) {
      ops.append(container, path, "volumeMounts", List.of(SidecarTemplates.targetMount()));
      ArrayNode env = Json.array(container, "env");
      List<JsonNode> newEnv = new ArrayList<>();
      int nameIndex = lastEnv(env, SidecarTemplates.CONTAINER_NAME_ENV);
      if (nameIndex < 0) {
        newEnv.add(SidecarTemplates.envEntry(SidecarTemplates.CONTAINER_NAME_ENV, name));
      } else if (!name.equals(Json.text(env.get(nameIndex), "value"))) {
        ops.set(path + "/env/" + nameIndex, "value", TextNode.valueOf(name));
      }
      int jto = lastEnv(env, JavaToolOptions.NAME);
      if (jto >= 0 && Json.object(env.get(jto), "valueFrom") != null) {
        notes.add(skippedFlags(name, "it is set through valueFrom"));
      } else if (jto >= 0) {
        String existing = Json.text(env.get(jto), "value");
        String appended = JavaToolOptions.append(existing);
        if (!appended.equals(existing)) {
          ops.set(path + "/env/" + jto, "value", TextNode.valueOf(appended));
        }
      } else if (!isEmpty(Json.array(container, "envFrom"))) {
        // An env entry would shadow a JAVA_TOOL_OPTIONS that envFrom may bring: never overwrite the
        // user's value.
        notes.add(skippedFlags(name, "the container takes env from envFrom, which may set it"));
      } else {
        newEnv.add(SidecarTemplates.envEntry(JavaToolOptions.NAME, JavaToolOptions.FLAGS));
      }
      ops.append(container, path, "env", newEnv);
    }

    private String skippedFlags(String container, String why) {
      return "JAVA_TOOL_OPTIONS of container \""
          + container
          + "\" left unchanged because "
          + why
          + ": live patches work, patches that need a restart are not applied at JVM start; to enable them append \""
          + JavaToolOptions.FLAGS
          + "\" to that value";
    }

    /** A name the injection would duplicate (the API server would then reject the pod). */
    private String clash() {
      if (containerNames.contains(SidecarTemplates.INIT_NAME)
          || initNames.contains(SidecarTemplates.INIT_NAME)) {
        return "the pod already has a container named "
            + SidecarTemplates.INIT_NAME
            + "; rename it";
      }
      ArrayNode volumes = Json.array(spec, "volumes");
      for (int i = 0; volumes != null && i < volumes.size(); i++) {
        String volume = Json.text(Json.element(volumes, i, "volumes"), "name");
        if (OUR_VOLUMES.contains(volume)) {
          return "the pod already has a volume named " + volume + "; rename it";
        }
      }
      return null;
    }

    private Injection refuse(String why) {
      PatchOps noteOnly = new PatchOps();
      String note = "not injected: " + why;
      putNote(noteOnly, note);
      return new Injection(noteOnly.toJson(), false, note);
    }

    /** Metadata exists here: the pod opted in through a label or annotation. */
    private void putNote(PatchOps target, String note) {
      if (!note.equals(Json.text(annotations, NOTE_ANNOTATION))) {
        target.putEntry(
            metadata, "/metadata", "annotations", NOTE_ANNOTATION, TextNode.valueOf(note));
      }
    }
  }

  private static int lastEnv(ArrayNode env, String name) {
    int found = -1;
    for (int i = 0; env != null && i < env.size(); i++) {
      if (name.equals(Json.text(Json.element(env, i, "env"), "name"))) {
        found = i;
      }
    }
    return found;
  }

  private static boolean mountsAt(ObjectNode container, String path) {
    ArrayNode mounts = Json.array(container, "volumeMounts");
    for (int i = 0; mounts != null && i < mounts.size(); i++) {
      if (path.equals(Json.text(Json.element(mounts, i, "volumeMounts"), "mountPath"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isEmpty(ArrayNode array) {
    return array == null || array.isEmpty();
  }
}
