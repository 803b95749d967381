package io.hotpatch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each sample version, started as a real JVM under load, answers what its version promises (V4:
 * 500).
 */
class SampleServiceIT {
  @TempDir Path dir;

  @Test
  void everyVersionServesItsQuoteUnderLoad() {
    for (SampleVersion version : SampleVersion.values()) {
      Path jar = SampleBuilds.sampleJar(version, dir);
      try (TargetJvm target = TargetJvm.builder().classpath(jar).start();
          LoadGenerator load = LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), 2)) {
        load.awaitRequests(50);
        LoadStats stats = load.stop();
        if (version.expectedQuote() == null) {
          assertThat(stats.ok()).as("a version without a quote fails every request").isZero();
          assertThat(stats.firstFailure()).isEqualTo("HTTP 500");
        } else {
          assertThat(stats.failed()).as(stats.firstFailure()).isZero();
          assertThat(stats.distinctBodies()).containsExactly(version.expectedQuote());
        }
        assertThat(target.output()).contains("checkout listening on " + target.port());
      }
    }
  }
}
