package io.hotpatch.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Installs the repository's chart (helm/hotpatch-operator) with the repository's helm binary. */
final class HelmChart {
  private final Path repo;
  private final Path kubeconfig;

  HelmChart(Path repo, Path kubeconfig) {
    this.repo = repo;
    this.kubeconfig = kubeconfig;
  }

  /** helm install --wait, with the chart's image values pointed at the imported tarballs. */
  void install(String release, String namespace, ImageTarball operator, ImageTarball sidecar) {
    List<String> command =
        new ArrayList<>(
            List.of(
                helm().toString(),
                "install",
                release,
                repo.resolve("helm/hotpatch-operator").toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--namespace",
                namespace,
                "--create-namespace",
                "--wait",
                "--timeout",
                "5m",
                "--set-string",
                "image.repository=" + operator.repository(),
                "--set-string",
                "image.tag=" + operator.tag(),
                "--set-string",
                "sidecar.image.repository=" + sidecar.repository(),
                "--set-string",
                "sidecar.image.tag=" + sidecar.tag()));
    Result result = run(command);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "helm install of helm/hotpatch-operator failed: " + result.output().strip());
    }
  }

  /** -Dhotpatch.e2e.helm, else .tools/bin/helm, else what scripts/install-helm.sh installs. */
  private Path helm() {
    String given = System.getProperty("hotpatch.e2e.helm", "");
    if (!given.isEmpty()) {
      return Path.of(given);
    }
    Path installed = repo.resolve(".tools/bin/helm");
    if (Files.isExecutable(installed)) {
      return installed;
    }
    Result result = run(List.of("bash", repo.resolve("scripts/install-helm.sh").toString()));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "scripts/install-helm.sh failed ("
              + result.output().strip()
              + "): fix that or pass -Dhotpatch.e2e.helm=/path/to/helm");
    }
    return Path.of(result.output().strip().lines().reduce((first, last) -> last).orElseThrow());
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.waitFor(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }
}
