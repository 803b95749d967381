package io.hotpatch.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * One K3s cluster for the whole e2e run: started once, the image tarballs imported into its
 * containerd, the chart installed from helm/. Closed (container removed) when the run ends.
 */
final class K3sCluster implements AutoCloseable {
  /** Native sidecars (restartPolicy Always init containers) need Kubernetes 1.29+. */
  private static final String K3S_IMAGE =
      System.getProperty("hotpatch.e2e.k3sImage", "rancher/k3s:v1.31.4-k3s1");

  static final String OPERATOR_NAMESPACE = "hotpatch-system";
  static final String RELEASE = "hotpatch-operator";
  static final String OPERATOR_TARBALL = "hotpatch-operator.tar";
  static final String SIDECAR_TARBALL = "hotpatch-sidecar.tar";
  static final String SAMPLE_TARBALL = "hotpatch-sample.tar";

  private final K3sContainer k3s;
  private final KubernetesClient client;

  /** Owner-only kubeconfig file for command-line tools such as helm. */
  private final Path kubeconfig;

  private final List<ImageTarball> images;

  private K3sCluster(
      K3sContainer k3s, KubernetesClient client, Path kubeconfig, List<ImageTarball> images) {
    this.k3s = k3s;
    this.client = client;
    this.kubeconfig = kubeconfig;
    this.images = images;
  }

  /** Starts K3s, imports every tarball under the images directory and installs the chart. */
  static K3sCluster start() {
    Path repo = repo();
    Path imageDir =
        Path.of(
            System.getProperty("hotpatch.e2e.images", repo.resolve("images/target").toString()));
    List<ImageTarball> images = tarballs(imageDir);
    K3sContainer k3s =
        new K3sContainer(DockerImageName.parse(K3S_IMAGE).asCompatibleSubstituteFor("rancher/k3s"));
    k3s.start();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
            .build();
    K3sCluster cluster =
        new K3sCluster(k3s, client, writeKubeconfig(k3s.getKubeConfigYaml()), images);
    try {
      images.forEach(cluster::importImage);
      new HelmChart(repo, cluster.kubeconfig)
          .install(
              RELEASE,
              OPERATOR_NAMESPACE,
              cluster.image(OPERATOR_TARBALL).orElseThrow(),
              cluster.image(SIDECAR_TARBALL).orElseThrow());
      return cluster;
    } catch (RuntimeException e) {
      FailureDump.namespace(client, OPERATOR_NAMESPACE);
      cluster.close();
      throw e;
    }
  }

  /** The repository root (the failsafe configuration passes it; tests run from e2e/). */
  static Path repo() {
    return Path.of(System.getProperty("hotpatch.e2e.repo", "..")).toAbsolutePath().normalize();
  }

  private static List<ImageTarball> tarballs(Path dir) {
    for (String required : List.of(OPERATOR_TARBALL, SIDECAR_TARBALL)) {
      if (!Files.isRegularFile(dir.resolve(required))) {
        throw new IllegalStateException(
            "no image tarball "
                + dir.resolve(required)
                + ": build the images first with scripts/build-images.sh (or point -Dhotpatch.e2e.images at them)");
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".tar"))
          .sorted()
          .map(ImageTarball::read)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path writeKubeconfig(String yaml) {
    try {
      Path file =
          Files.createTempFile(
              "hotpatch-e2e-kubeconfig",
              ".yaml",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      file.toFile().deleteOnExit();
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void importImage(ImageTarball image) {
    String inside = "/tmp/" + image.file().getFileName();
    k3s.copyFileToContainer(MountableFile.forHostPath(image.file()), inside);
    ExecResult result = exec("k3s", "ctr", "-n", "k8s.io", "images", "import", inside);
    if (result.getExitCode() != 0) {
      throw new IllegalStateException(
          "k3s could not import "
              + image.file()
              + " ("
              + result.getStderr().strip()
              + "): rebuild the tarball with scripts/build-images.sh");
    }
    exec("rm", "-f", inside);
  }

  /** Runs a command inside the K3s container. */
  private ExecResult exec(String... command) {
    try {
      return k3s.execInContainer(command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** The image imported from the tarball of that file name, if there was one. */
  Optional<ImageTarball> image(String tarball) {
    return images.stream()
        .filter(i -> i.file().getFileName().toString().equals(tarball))
        .findFirst();
  }

  KubernetesClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    k3s.stop();
  }
}
