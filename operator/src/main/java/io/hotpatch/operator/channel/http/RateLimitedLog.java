package io.hotpatch.operator.channel.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * At most {@code lines} lines per {@code window}, so that a flood of refused requests cannot flood
 * the log; the first line of the next window says how many were left out.
 */
final class RateLimitedLog {
  private final int lines;
  private final Duration window;
  private final Clock clock;
  private final Consumer<String> sink;
  private Instant windowStart = Instant.MIN;
  private int written;
  private long skipped;

  RateLimitedLog(int lines, Duration window, Clock clock, Consumer<String> sink) {
    this.lines = lines;
    this.window = window;
    this.clock = clock;
    this.sink = sink;
  }

  /** Writes the line unless this window's lines are spent, in which case it only counts it. */
  void log(String line) {
    String summary = null;
    synchronized (this) {
      Instant now = clock.instant();
      if (!now.isBefore(windowStart.plus(window))) {
        if (skipped > 0) {
          summary =
              skipped
                  + " more lines like these were not logged in the "
                  + window.toSeconds()
                  + " s before (at most "
                  + lines
                  + " per "
                  + window.toSeconds()
                  + " s)";
        }
        windowStart = now;
        written = 0;
        skipped = 0;
      }
      if (written == lines) {
        skipped++;
        return;
      }
      written++;
    }
    if (summary != null) {
      sink.accept(summary);
    }
    sink.accept(line);
  }
}
