package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.core.channel.PodReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Tells the operator that the app JVM started without its startup bundles (the init step's {@code
 * startup-missing} line), in each report about a JVM that started before the daemon first staged
 * them (the ready marker's time): a patch that needed the restart is not in that JVM.
 */
final class StartupNote {
  /** The note is one line; more is not ours. */
  private static final int MAX_CHARS = 1024;

  private final Path missingFile;
  private final Path readyMarker;

  StartupNote(SidecarConfig config) {
    this.missingFile = config.dir().resolve(StartupStager.MISSING_FILE);
    this.readyMarker = config.readyMarker();
  }

  /**
   * Prefixes the note to the report's message and to each outcome that did not get its patch in.
   */
  PodReport annotate(PodReport report, Instant jvmStart) {
    String note = note(jvmStart);
    if (note != null) {
      report.setMessage(join(note, report.getMessage()));
      for (PatchOutcome outcome : report.getOutcomes()) {
        if (outcome.getState() != ResultState.APPLIED
            && outcome.getState() != ResultState.ALREADY_APPLIED
            && outcome.getState() != ResultState.REVERTED) {
          outcome.setMessage(join(note, outcome.getMessage()));
        }
      }
    }
    return report;
  }

  private String note(Instant jvmStart) {
    try {
      if (jvmStart == null
          || !Files.isRegularFile(missingFile)
          || Files.exists(readyMarker)
              && !jvmStart.isBefore(Files.getLastModifiedTime(readyMarker).toInstant())) {
        return null;
      }
      String text = new String(Files.readAllBytes(missingFile), StandardCharsets.UTF_8).trim();
      return text.isEmpty()
          ? null
          : text.substring(0, Math.min(text.length(), MAX_CHARS)).replace('\n', ' ');
    } catch (IOException e) {
      return null;
    }
  }

  private static String join(String note, String message) {
    return message == null || message.isEmpty() ? note : note + "; " + message;
  }
}
