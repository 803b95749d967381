package io.hotpatch.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A pod played in podman ({@code kube play --network host}) as a kubelet would run it: the
 * kubelet's own work done first (the downward API's env values, the projected service account token
 * written to a directory), the restart policy OnFailure, because podman 4.3 restarts a finished
 * init container forever under Always, and no containerPorts, which podman would publish.
 */
final class PlayedPod implements AutoCloseable {
  private final String name;

  private PlayedPod(String name) {
    this.name = name;
  }

  /**
   * Plays {@code pod} (as admitted and stored by the API server); {@code token} is what kubelet
   * would project.
   */
  static PlayedPod play(Pod pod, String token, Path dir) throws IOException {
    Pod played =
        new PodBuilder(pod)
            .withStatus(null)
            .editSpec()
            .withRestartPolicy("OnFailure")
            .endSpec()
            .build();
    Stream.concat(
            played.getSpec().getInitContainers().stream(),
            played.getSpec().getContainers().stream())
        .forEach(
            container -> {
              downwardApi(container, pod);
              // A containerPort only documents a port in Kubernetes; podman would publish it, which
              // host networking refuses.
              container.setPorts(List.of());
            });
    List<Volume> volumes = new ArrayList<>();
    for (Volume volume : played.getSpec().getVolumes()) {
      volumes.add(volume.getProjected() == null ? volume : tokenVolume(volume, token, dir));
    }
    played.getSpec().setVolumes(volumes);
    Path yaml = dir.resolve(pod.getMetadata().getName() + ".yaml");
    Files.writeString(yaml, Serialization.asYaml(played));
    PlayedPod playing = new PlayedPod(pod.getMetadata().getName());
    Podman.Result result = Podman.run("kube", "play", "--network", "host", yaml.toString());
    if (!result.ok()) {
      playing.close();
      throw new IllegalStateException("podman kube play " + yaml + " failed: " + result.output());
    }
    return playing;
  }

  /** The podman name of one of the pod's containers. */
  String container(String containerName) {
    return name + "-" + containerName;
  }

  String name() {
    return name;
  }

  /**
   * When podman started the container: what the kubelet reports as its containerStatuses'
   * running.startedAt.
   */
  Instant startedAt(String containerName) {
    return Instant.parse(
        Podman.check(
                "inspect",
                "--format",
                "{{.State.StartedAt.Format \"2006-01-02T15:04:05.000000000Z07:00\"}}",
                container(containerName))
            .strip());
  }

  /** Every container's log so far, for a failure's message. */
  String logs() {
    return Podman.run("pod", "logs", name).output();
  }

  private static void downwardApi(Container container, Pod pod) {
    for (EnvVar env : container.getEnv()) {
      ObjectFieldSelector field =
          env.getValueFrom() == null ? null : env.getValueFrom().getFieldRef();
      if (field == null) {
        continue;
      }
      env.setValue(
          switch (field.getFieldPath()) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "metadata.uid" -> pod.getMetadata().getUid();
            default ->
                throw new IllegalArgumentException(
                    "env "
                        + env.getName()
                        + " of container "
                        + container.getName()
                        + " reads "
                        + field.getFieldPath()
                        + ", which the pod tier does not fill in; add it to PlayedPod");
          });
      env.setValueFrom(null);
    }
  }

  /**
   * The projected token volume as a directory holding the token, as kubelet writes it (read-only
   * for the pod).
   */
  private static Volume tokenVolume(Volume projected, String token, Path dir) throws IOException {
    if (projected.getProjected().getSources().stream()
        .anyMatch(s -> s.getServiceAccountToken() == null)) {
      throw new IllegalArgumentException(
          "volume "
              + projected.getName()
              + " projects more than a service account"
              + " token, which the pod tier does not fill in; add it to PlayedPod");
    }
    String path = projected.getProjected().getSources().get(0).getServiceAccountToken().getPath();
    Path tokens = Files.createDirectories(dir.resolve(projected.getName()));
    Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = tokens.resolve(path);
    Files.writeString(file, token);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return new VolumeBuilder()
        .withName(projected.getName())
        .withNewHostPath()
        .withPath(tokens.toString())
        .withType("Directory")
        .endHostPath()
        .build();
  }

  @Override
  public void close() {
    Podman.removePod(name);
  }
}
