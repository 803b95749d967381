package io.hotpatch.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hotpatch.bench.MockApiServer;
import io.hotpatch.sample.Http;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.testkit.LocalTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three images of scripts/build-images.sh, loaded into podman and started as their manifests
 * start them: the image's user (65532) or the manifest's runAsUser, a read-only root filesystem
 * with an emptyDir-like /tmp where the chart or the webhook sets readOnlyRootFilesystem, host
 * networking (no published ports here).
 */
@ExtendWith(PodTier.class)
class ImagesPod {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final List<String> containers = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void removeContainers() {
    containers.forEach(Podman::removeContainer);
  }

  @Test
  void imagesAreTheChartsDefaultsAndRunAsNonRoot() throws IOException {
    Path chart = PodTier.repo().resolve("helm/hotpatch-operator");
    JsonNode values = YAML.readTree(chart.resolve("values.yaml").toFile());
    String appVersion =
        YAML.readTree(chart.resolve("Chart.yaml").toFile()).path("appVersion").asText();
    assertThat(PodTier.OPERATOR_IMAGE)
        .isEqualTo(values.path("image").path("repository").asText() + ":" + appVersion);
    assertThat(PodTier.SIDECAR_IMAGE)
        .isEqualTo(
            values.path("sidecar").path("image").path("repository").asText() + ":" + appVersion);
    for (String image :
        List.of(PodTier.OPERATOR_IMAGE, PodTier.SIDECAR_IMAGE, PodTier.SAMPLE_IMAGE)) {
      assertThat(Podman.check("image", "inspect", "--format", "{{.Config.User}}", image))
          .as(image)
          .isEqualTo("65532:65532");
    }
    // The sidecar's own java with its shipped flags and class path, class-data archive required
    // (-Xshare:on): fails unless the archive the image build dumped, the sidecar's own classes
    // included, maps in the image as it ships.
    List<String> entrypoint = new ArrayList<>();
    YAML.readTree(
            Podman.check(
                "image",
                "inspect",
                "--format",
                "{{json .Config.Entrypoint}}",
                PodTier.SIDECAR_IMAGE))
        .forEach(part -> entrypoint.add(part.asText()));
    assertThat(entrypoint).contains("-XX:SharedArchiveFile=/opt/hotpatch/sidecar.jsa");
    List<String> jvmOptions = entrypoint.subList(1, entrypoint.size() - 1);
    String name = PodTier.unique("java-version");
    containers.add(name);
    List<String> command =
        new ArrayList<>(
            List.of(
                "run",
                "--name",
                name,
                "--network",
                "host",
                "--read-only",
                "--entrypoint",
                entrypoint.get(0),
                PodTier.SIDECAR_IMAGE));
    command.addAll(jvmOptions);
    command.addAll(List.of("-Xshare:on", "-version"));
    Podman.Result version = Podman.run(command);
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output()).contains("OpenJDK 64-Bit Server VM");
  }

  @Test
  void sidecarRefusesMissingSettingsAndInstallsTheAgent() throws IOException {
    String bare = PodTier.unique("sidecar-bare");
    containers.add(bare);
    Podman.Result refused =
        Podman.run(
            "run", "--name", bare, "--network", "host", "--read-only", PodTier.SIDECAR_IMAGE);
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
    assertThat(refused.output()).contains("HOTPATCH_").hasLineCount(1);

    // The webhook's init container: the app's UID, read-only root, the shared emptyDir at
    // /hotpatch.
    Path shared = PodTier.sharedDir(dir.resolve("hotpatch"), 1000);
    String init = PodTier.unique("hotpatch-init");
    containers.add(init);
    List<String> install =
        new ArrayList<>(List.of("run", "--name", init, "--network", "host", "--read-only"));
    install.addAll(Podman.restricted(1000, 1000));
    install.addAll(
        List.of(
            "--volume",
            shared + ":/hotpatch",
            "--env",
            "HOTPATCH_DIR=/hotpatch",
            PodTier.SIDECAR_IMAGE,
            "--install-agent"));
    Podman.Result installed = Podman.run(install);
    assertThat(installed.exitCode()).as(installed.output()).isZero();
    try (JarFile agent = new JarFile(shared.resolve("agent/hotpatch-agent.jar").toFile())) {
      assertThat(agent.getManifest().getMainAttributes().getValue("Agent-Class")).isNotBlank();
    }
  }

  @Test
  void operatorStartsAsTheChartRunsIt() throws Exception {
    try (MockApiServer api = MockApiServer.start()) {
      LocalTls tls =
          LocalTls.generate(PodTier.sharedDir(dir.resolve("tls"), OperatorContainer.UID));
      PodTier.readableByAll(tls);
      try (OperatorContainer operator = OperatorContainer.start(api.url(), tls, url -> List.of())) {
        assertThat(PodTier.tryGet(operator.managementUrl().resolve("/q/health/live")))
            .contains("\"UP\"");
        // Any HTTP answer over HTTPS, checked against the CA, proves the mounted certificate
        // serves the channel.
        HttpClient client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        HttpResponse<Void> answer =
            client.send(
                HttpRequest.newBuilder(operator.channelUrl().resolve("/"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(answer.statusCode()).isBetween(200, 599);
        // BoringSSL loaded (it needs libgcc_s from the image), and nothing at start a user would
        // have to look into: no JVM warning (native access on Java 24+), no WARN.
        assertThat(operator.log())
            .contains("HTTPS: BoringSSL (")
            .doesNotContain("WARNING:")
            .doesNotContain(" WARN ");
      }
    }
  }

  @Test
  void sampleServesTheV1Quote() {
    int port = PodTier.freePort();
    String name = PodTier.unique("sample");
    containers.add(name);
    // examples/checkout.yaml: runAsUser/runAsGroup 1000, read-only root, an emptyDir /tmp.
    List<String> run =
        new ArrayList<>(
            List.of("run", "--detach", "--name", name, "--network", "host", "--read-only"));
    run.addAll(Podman.restricted(1000, 1000));
    run.addAll(List.of("--tmpfs", "/tmp", PodTier.SAMPLE_IMAGE, Integer.toString(port)));
    Podman.check(run.toArray(String[]::new));
    URI price = URI.create("http://127.0.0.1:" + port + SampleVersion.PRICE_PATH);
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(200))
        .failFast(() -> PodTier.assertRunning(name))
        .until(() -> PodTier.tryGet(price), quote -> !quote.isEmpty());
    assertThat(Http.get(price)).isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
  }
}
