package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar's environment: defaults, and one line naming the variable for each mistake. */
class SidecarConfigTest {
  @TempDir Path dir;
  final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void webhookEnvironment() throws Exception {
    env.put("HOTPATCH_CHANNEL_URL", "https://hotpatch-operator.hotpatch-system.svc:443/");
    env.put("HOTPATCH_POD_NAME", "checkout-7d9f-x2k4q");
    env.put("HOTPATCH_POD_NAMESPACE", "shop");
    env.put("HOTPATCH_POD_UID", "0b6f7a6e-1c1f-4b8e-9d8a-2f3c4d5e6f70");
    env.put("HOTPATCH_TOKEN_FILE", Files.writeString(dir.resolve("token"), "t").toString());
    env.put("HOTPATCH_CA_FILE", Files.writeString(dir.resolve("ca.crt"), "pem").toString());
    env.put("HOTPATCH_DIR", Files.createDirectories(dir.resolve("hotpatch")).toString());
  }

  @Test
  void anEphemeralContainerNeedsNoVolumeAndReadsTheTokenInTheAppContainer() throws Exception {
    env.remove("HOTPATCH_TOKEN_FILE");
    env.remove("HOTPATCH_CA_FILE");
    env.put("HOTPATCH_CA_PEM", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    env.put("HOTPATCH_DIR", dir.resolve("shm/hotpatch").toString());
    env.put("HOTPATCH_MODE", "ephemeral");

    assertThat(SidecarConfig.ephemeral(env)).isTrue();
    SidecarConfig config = SidecarConfig.ephemeralFromEnv(env);

    assertThat(config.tokenFile()).isEqualTo(Path.of(SidecarConfig.POD_TOKEN));
    assertThat(config.dir()).isDirectory();
    assertThat(config.caFile())
        .startsWith(config.dir())
        .content()
        .startsWith("-----BEGIN CERTIFICATE-----");
    env.put("HOTPATCH_MODE", "debug");
    assertThatThrownBy(() -> SidecarConfig.ephemeral(env))
        .hasMessage("HOTPATCH_MODE=debug is not sidecar or ephemeral: use one of them");
  }

  @Test
  void readsTheWebhookEnvironmentWithDefaults() throws Exception {
    SidecarConfig config = SidecarConfig.fromEnv(env);

    assertThat(config.podChannel())
        .isEqualTo(
            URI.create(
                "https://hotpatch-operator.hotpatch-system.svc:443/channel/v1/namespaces/shop/pods/checkout-7d9f-x2k4q/"));
    assertThat(config.container()).isEmpty();
    assertThat(config.pollWaitSeconds()).isEqualTo(30);
    assertThat(config.debug()).isFalse();
    assertThat(config.bundleDir()).isEqualTo(dir.resolve("hotpatch/bundles"));
    assertThat(config.agentJar()).isEqualTo(dir.resolve("hotpatch/agent/hotpatch-agent.jar"));
  }

  @Test
  void namesTheVariableOfEachMistake() {
    assertInvalid("HOTPATCH_CHANNEL_URL", null, "HOTPATCH_CHANNEL_URL is not set: ");
    assertInvalid(
        "HOTPATCH_CHANNEL_URL",
        "http://operator:8080",
        "HOTPATCH_CHANNEL_URL=http://operator:8080 is not an https:// URL: ");
    assertInvalid(
        "HOTPATCH_POD_NAME",
        "Checkout_1",
        "HOTPATCH_POD_NAME=Checkout_1 is not a Kubernetes object name");
    assertInvalid(
        "HOTPATCH_TOKEN_FILE",
        dir.resolve("missing").toString(),
        "HOTPATCH_TOKEN_FILE=" + dir.resolve("missing") + " is not a readable file: ");
    assertInvalid(
        "HOTPATCH_DIR", "relative", "HOTPATCH_DIR=relative is not a writable directory: ");
    assertInvalid(
        "HOTPATCH_POLL_WAIT_SECONDS",
        "90",
        "HOTPATCH_POLL_WAIT_SECONDS=90 is not a number of seconds");
    assertInvalid("HOTPATCH_LOG_LEVEL", "trace", "HOTPATCH_LOG_LEVEL=trace is not info or debug");
  }

  @Test
  void caPemFromTheWebhookWinsOverTheCaFile() throws Exception {
    String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    env.put("HOTPATCH_CA_PEM", pem);

    SidecarConfig config = SidecarConfig.fromEnv(env);

    assertThat(config.caFile()).isNotEqualTo(dir.resolve("ca.crt"));
    assertThat(Files.readString(config.caFile())).isEqualTo(pem);
    assertInvalid(
        "HOTPATCH_CA_PEM",
        "not a certificate",
        "HOTPATCH_CA_PEM does not hold a PEM certificate: ");
  }

  private void assertInvalid(String variable, String value, String messageStart) {
    Map<String, String> wrong = new HashMap<>(env);
    if (value == null) {
      wrong.remove(variable);
    } else {
      wrong.put(variable, value);
    }
    assertThatThrownBy(() -> SidecarConfig.fromEnv(wrong))
        .isInstanceOf(SidecarConfig.Invalid.class)
        .hasMessageStartingWith(messageStart)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
