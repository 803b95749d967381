package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from the chart's env vars: the sidecar mode and the CA PEM read from the TLS secret. */
class WebhookSettingsTest {
  @TempDir Path dir;

  @Test
  void readsTheCaPemAndFallsBackWhenItIsAbsentOrNotPem() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), Reviews.CA_PEM);
    assertThat(WebhookSettings.caPem(ca)).contains(Reviews.CA_PEM);
    assertThat(WebhookSettings.caPem(dir.resolve("absent.crt"))).isEmpty();
    assertThat(WebhookSettings.caPem(Files.writeString(dir.resolve("junk.crt"), "junk"))).isEmpty();
    assertThat(WebhookSettings.caPem(dir)).as("a folder").isEmpty();
  }

  @Test
  void modeFromTheChartValueAndNativeForAnythingElse() throws Exception {
    assertThat(settings("container").current().mode()).isEqualTo(SidecarMode.CONTAINER);
    assertThat(settings(" Native ").current().mode()).isEqualTo(SidecarMode.NATIVE);
    assertThat(settings("sidecar").current().mode()).isEqualTo(SidecarMode.NATIVE);
  }

  @Test
  void passesTheConfiguredValuesOn() throws Exception {
    InjectionSettings current = settings("native").current();
    assertThat(current)
        .isEqualTo(
            new InjectionSettings(
                "img:1",
                "Always",
                SidecarMode.NATIVE,
                "https://op:443",
                "hotpatch-system",
                Set.of("a", "b"),
                Optional.of(Reviews.CA_PEM),
                7));
  }

  @Test
  void aStartupWaitOutOfRangeFallsBackToTheDefault() throws Exception {
    assertThat(settings("native", 301).current().startupWaitSeconds())
        .isEqualTo(InjectionSettings.DEFAULT_STARTUP_WAIT_SECONDS);
  }

  private WebhookSettings settings(String mode) throws Exception {
    return settings(mode, 7);
  }

  private WebhookSettings settings(String mode, int startupWaitSeconds) throws Exception {
    return new WebhookSettings(
        "img:1",
        "Always",
        mode,
        "https://op:443",
        Optional.of("hotpatch-system"),
        List.of("a", "b"),
        Files.writeString(dir.resolve("ca.crt"), Reviews.CA_PEM).toString(),
        startupWaitSeconds);
  }
}
