package io.hotpatch.e2e;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.cli.HotPatchCli;
import io.hotpatch.core.Sha256;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/** A patch bundle built the way a user builds one (`hotpatch diff`), published as a ConfigMap. */
record PatchBundle(String configMap, byte[] jar, String sha256) {
  static final String KEY = "bundle.jar";

  /**
   * `hotpatch diff` exit codes that still write the bundle: hot-applicable, and not hot-applicable.
   */
  private static final int DIFF_OK = 0;

  private static final int DIFF_NOT_HOT = 3;

  /** Diffs the sample service's {@code from} and {@code to} builds into a bundle. */
  static PatchBundle diff(Path workDir, SampleVersion from, SampleVersion to, String configMap) {
    try {
      Path dir = Files.createDirectories(workDir.resolve(configMap));
      Path out = dir.resolve("bundle.jar");
      int exit =
          HotPatchCli.newCommandLine()
              .execute(
                  "diff",
                  SampleBuilds.sampleJar(from, dir).toString(),
                  SampleBuilds.sampleJar(to, dir).toString(),
                  "--out",
                  out.toString());
      if (exit != DIFF_OK && exit != DIFF_NOT_HOT) {
        throw new IllegalStateException(
            "hotpatch diff " + from + " " + to + " exited " + exit + ": see its output above");
      }
      byte[] jar = Files.readAllBytes(out);
      return new PatchBundle(configMap, jar, Sha256.hex(jar));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the ConfigMap that holds the bundle under {@value #KEY}, as the example does. */
  void publish(KubernetesClient client, String namespace) {
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(configMap)
                .withNamespace(namespace)
                .endMetadata()
                .withBinaryData(Map.of(KEY, Base64.getEncoder().encodeToString(jar)))
                .build())
        .create();
  }
}
