package io.hotpatch.sidecar.daemon;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One line per event on stdout ({@code <UTC time> <level> <text>}), never a stack trace. */
final class Log {
  private final PrintStream out;
  private final boolean debug;

  Log(PrintStream out, boolean debug) {
    this.out = out;
    this.debug = debug;
  }

  void info(String message) {
    write("INFO ", message);
  }

  void warn(String message) {
    write("WARN ", message);
  }

  void debug(String message) {
    if (debug) {
      write("DEBUG", message);
    }
  }

  private void write(String level, String message) {
    out.println(
        Instant.now().truncatedTo(ChronoUnit.MILLIS)
            + " "
            + level
            + " "
            + message.replace('\n', ' '));
  }
}
