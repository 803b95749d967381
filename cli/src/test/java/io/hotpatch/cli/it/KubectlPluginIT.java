package io.hotpatch.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpatch.cli.CliRun;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/kubectl-hotpatch} is a kubectl plugin: the real kubectl (on PATH, or the one
 * scripts/install-helm.sh installs) finds it on PATH and {@code kubectl hotpatch manifests} writes
 * the same bytes as {@code hotpatch manifests}. Plugins run before kubectl talks to any server.
 */
class KubectlPluginIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path WORK = Path.of("target/it-kubectl").toAbsolutePath();

  @Test
  void kubectlFindsThePluginAndItWritesTheManifests() throws Exception {
    Path kubectl = kubectl();
    assertBuiltJarsAreCurrent();
    Path bundle =
        Files.write(
            Files.createDirectories(WORK).resolve("fix.jar"),
            SampleBuilds.priceCalculatorBundle(SampleVersion.V2_HOT_FIX));
    String[] manifests = {
      "manifests", bundle.toString(), "-n", "shop", "--name", "fix-price", "-l", "app=checkout"
    };

    String plugins = run(kubectl.toString(), "plugin", "list");
    String viaKubectl =
        run(
            Stream.concat(Stream.of(kubectl.toString(), "hotpatch"), Stream.of(manifests))
                .toArray(String[]::new));

    assertThat(plugins).contains(REPO.resolve("bin/kubectl-hotpatch").toString());
    assertThat(viaKubectl).isEqualTo(CliRun.of(manifests).out()).contains("kind: HotPatch");
  }

  /**
   * bin/hotpatch rebuilds (mvn package) when sources are newer than the CLI jar: a test must never
   * do that.
   */
  private static void assertBuiltJarsAreCurrent() throws Exception {
    Path cliJar = REPO.resolve("cli/target/hotpatch-cli.jar");
    assertThat(cliJar).as("run after 'mvn package' of the cli module").isRegularFile();
    long built = Files.getLastModifiedTime(cliJar).toMillis();
    for (String module : List.of("core", "agent", "sidecar", "sample", "cli")) {
      try (Stream<Path> files = Files.walk(REPO.resolve(module + "/src/main"))) {
        assertThat(
                files
                    .filter(Files::isRegularFile)
                    .filter(f -> f.toFile().lastModified() > built)
                    .findFirst())
            .as(
                "sources changed after the CLI jar was built: bin/hotpatch would rebuild; run mvn package again")
            .isEmpty();
      }
    }
  }

  private static Path kubectl() {
    Optional<Path> onPath =
        Stream.of(System.getenv("PATH").split(File.pathSeparator))
            .map(dir -> Path.of(dir, "kubectl"))
            .filter(Files::isExecutable)
            .findFirst();
    Path installed = REPO.resolve(".tools/bin/kubectl");
    Path found = onPath.orElse(Files.isExecutable(installed) ? installed : null);
    assumeTrue(found != null, "no kubectl on PATH: run scripts/install-helm.sh");
    return found;
  }

  private static String run(String... command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(List.of(command)).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder
        .environment()
        .put("PATH", REPO.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
    builder.environment().put("KUBECONFIG", WORK.resolve("no-cluster").toString());
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
