package io.hotpatch.pods;


import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod the webhook never saw (no sidecar, no agent flags, no shared volume), patched by the sidecar image started
 * in an ephemeral container's situation: {@code podman run --pod <pod> --pid container:<app>} joins the pod and
 * shares the app's PID namespace, with its own mount namespace and volumes, as the app's UID. The daemon attaches the agent through
 * {@code /proc/<pid>/root}; the operator delivers the HotPatch to it over the channel as to an injected sidecar.
 */
@ExtendWith(PodTier.class)
class UninjectedPod {
  private static final String TOKEN_DIR = "/var/run/secrets/hotpatch";

  @TempDir
  Path dir;

  private final List<String> containers = new ArrayList<>();

  @Test
  void sidecarSharingOnlyThePidNamespacePatchesTheAppUnderLoad() throws Exception {
    try (StandInCluster cluster = StandInCluster.start(dir)) {
      StandInCluster.explained(() -> {
        int port = PodTier.freePort();
        Pod stored = cluster.create(cluster.templatePod(port));
        URI price = URI.create("http://127.0.0.1:" + port + SampleVersion.PRICE_PATH);
        try (PlayedPod pod = cluster.play(stored, null, price, SampleVersion.V1_BUGGY)) {
          StandInCluster.explained(() -> {
            String sidecar = startSidecar(cluster, stored, pod.name(), pod.container("app"));
            LoadStats stats = cluster.patchUnderLoad(price, () -> PodTier.assertRunning(sidecar));
            System.out.printf("hotpatch pods: uninjected pod %s patched through a --pid container: sidecar under load:"
                + " %s%n", pod.name(), stats);
          }, () -> "the pod's containers:\n" + pod.logs() + "\nthe sidecar:\n"
              + String.join("\n", containers.stream().map(Podman::logs).toList()));
        } finally {
          containers.forEach(Podman::removeContainer);
        }
      }, cluster::diagnostics);
    }
  }

  /**
   * The sidecar image beside the app: its own /hotpatch (the agent copied there by --install-agent) and the pod's
   * token, the app's UID and GID, read-only root, a /tmp of its own; started as `kubectl debug --target=app` would.
   */
  private String startSidecar(StandInCluster cluster, Pod pod, String podName, String app) throws Exception {
    Path own = PodTier.sharedDir(dir.resolve("sidecar-hotpatch"), 1000);
    Path tokens = Files.createDirectories(dir.resolve("sidecar-token"));
    Files.writeString(tokens.resolve("token"), cluster.token(pod));
    Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(tokens.resolve("token"), PosixFilePermissions.fromString("rw-r--r--"));
    // In the pod (its network, as an ephemeral container is), in the app container's PID namespace only.
    List<String> common = List.of("--pod", podName, "--pid", "container:" + app, "--user", "1000:1000",
        "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
        "--volume", own + ":/hotpatch", "--env", "HOTPATCH_DIR=/hotpatch");
    String install = PodTier.unique("debugger-install");
    containers.add(install);
    List<String> installAgent = new ArrayList<>(List.of("run", "--name", install));
    installAgent.addAll(common);
    installAgent.addAll(List.of(PodTier.SIDECAR_IMAGE, "--install-agent"));
    Podman.Result installed = Podman.run(installAgent);
    if (!installed.ok()) {
      throw new IllegalStateException("--install-agent failed: " + installed.output());
    }
    String sidecar = PodTier.unique("debugger");
    containers.add(sidecar);
    List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", sidecar));
    run.addAll(common);
    run.addAll(List.of("--volume", tokens + ":" + TOKEN_DIR + ":ro",
        "--env", "HOTPATCH_CHANNEL_URL=" + cluster.channelUrl(),
        "--env", "HOTPATCH_POD_NAME=" + pod.getMetadata().getName(),
        "--env", "HOTPATCH_POD_NAMESPACE=" + pod.getMetadata().getNamespace(),
        "--env", "HOTPATCH_POD_UID=" + pod.getMetadata().getUid(),
        "--env", "HOTPATCH_TOKEN_FILE=" + TOKEN_DIR + "/token",
        "--env", "HOTPATCH_CA_PEM=" + cluster.caPem(),
        PodTier.SIDECAR_IMAGE));
    Podman.check(run.toArray(String[]::new));
    return sidecar;
  }
}
