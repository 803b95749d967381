package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.core.channel.PodReport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The init step's fail-open note reaches the reports of the JVM it concerns, and only those. */
class StartupNoteTest {
  static final String NOTE =
      "started without startup bundles: operator unreachable for 20 s (refused)";
  static final Instant STAGED = Instant.parse("2026-11-29T23:00:00Z");

  @TempDir Path dir;

  @Test
  void prefixesTheReportAndTheOutcomesThatMissTheirPatch() throws Exception {
    Files.writeString(dir.resolve(StartupStager.MISSING_FILE), NOTE + "\n");

    PodReport report = note().annotate(report(), STAGED);

    assertThat(report.getMessage()).isEqualTo(NOTE);
    assertThat(report.getOutcomes())
        .extracting(PatchOutcome::getMessage)
        .containsExactly(NOTE + "; field added", "");
  }

  @Test
  void saysNothingForAJvmStartedAfterTheDaemonStagedTheBundles() throws Exception {
    Files.writeString(dir.resolve(StartupStager.MISSING_FILE), NOTE + "\n");
    Files.setLastModifiedTime(
        Files.writeString(dir.resolve("sidecar-ready"), "1\n"), FileTime.from(STAGED));

    assertThat(note().annotate(report(), STAGED.plusSeconds(5)).getMessage()).isEmpty();
    assertThat(note().annotate(report(), STAGED.minusSeconds(5)).getMessage()).isEqualTo(NOTE);
  }

  @Test
  void saysNothingWhenTheInitStepStagedEverything() {
    assertThat(note().annotate(report(), STAGED).getOutcomes())
        .extracting(PatchOutcome::getMessage)
        .containsExactly("field added", "");
  }

  private StartupNote note() {
    return new StartupNote(
        new SidecarConfig(
            URI.create("https://op:443"),
            "pod",
            "ns",
            "",
            dir.resolve("token"),
            dir.resolve("ca.crt"),
            "app",
            dir,
            30,
            false));
  }

  private static PodReport report() {
    PodReport report = new PodReport();
    report.setOutcomes(
        List.of(
            new PatchOutcome(
                "shop/schema", "uid-1", "aa", ResultState.NOT_HOT_APPLICABLE, null, "field added"),
            new PatchOutcome("shop/fix", "uid-2", "bb", ResultState.APPLIED, null, "")));
    return report;
  }
}
