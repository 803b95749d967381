package io.hotpatch.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The safepoints a JVM logged with {@code -Xlog:safepoint=info:file=<path>}, read as it grows. One
 * line per safepoint: {@code Safepoint "RedefineClasses", Time since last: ..., Total: N ns} (JDK
 * 17 lists Cleanup, JDK 25 Leaving safepoint and Threads; only the operation and the total are
 * read).
 */
final class SafepointLog {
  /** The VM operation of {@code Instrumentation.redefineClasses}, named alike on JDK 17 and 25. */
  static final String REDEFINE = "RedefineClasses";

  private static final Pattern LINE =
      Pattern.compile("Safepoint \"([^\"]+)\",.*\\bTotal: (\\d+) ns");

  /** One safepoint: its VM operation and its whole pause (reaching, cleanup, at and leaving). */
  record Pause(String operation, long totalNanos) {
    boolean isRedefine() {
      return REDEFINE.equals(operation);
    }
  }

  private final Path file;
  private long offset;

  SafepointLog(Path file) {
    this.file = file;
  }

  /** The {@code -Xlog} option that makes a JVM write this log. */
  String jvmOption() {
    return "-Xlog:safepoint=info:file=" + file + ":uptime,tags";
  }

  /** A safepoint line's pause; empty for any other line. */
  static Optional<Pause> parse(String line) {
    Matcher m = LINE.matcher(line);
    return m.find()
        ? Optional.of(new Pause(m.group(1), Long.parseLong(m.group(2))))
        : Optional.empty();
  }

  /** The pauses in {@code text}, in order. */
  static List<Pause> parseAll(String text) {
    List<Pause> pauses = new ArrayList<>();
    text.lines().map(SafepointLog::parse).flatMap(Optional::stream).forEach(pauses::add);
    return pauses;
  }

  /**
   * The pauses logged since the last call (whole lines only; a line being written waits for the
   * next call).
   */
  List<Pause> next() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      byte[] bytes = new byte[(int) Math.max(0, in.length() - offset)];
      in.seek(offset);
      in.readFully(bytes);
      int complete = bytes.length;
      while (complete > 0 && bytes[complete - 1] != '\n') {
        complete--;
      }
      offset += complete;
      return parseAll(new String(bytes, 0, complete, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw CliException.failure(
          "cannot read the target's safepoint log "
              + file
              + " ("
              + e.getMessage()
              + "): check the free space in "
              + file.getParent());
    }
  }

  /**
   * The pauses logged since the last call, waiting up to {@code timeoutMillis} until they include a
   * redefinition (the VM thread writes the line as the safepoint ends, racing the caller).
   */
  List<Pause> nextWithRedefine(long timeoutMillis) {
    List<Pause> pauses = new ArrayList<>(next());
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (pauses.stream().noneMatch(Pause::isRedefine) && System.nanoTime() < deadline) {
      Durations.sleep(5);
      pauses.addAll(next());
    }
    if (pauses.stream().noneMatch(Pause::isRedefine)) {
      throw CliException.failure(
          "the target logged no \""
              + REDEFINE
              + "\" safepoint in "
              + file
              + " within "
              + timeoutMillis
              + " ms: check that the JDK supports -Xlog:safepoint (JDK 9+)");
    }
    return pauses;
  }
}
