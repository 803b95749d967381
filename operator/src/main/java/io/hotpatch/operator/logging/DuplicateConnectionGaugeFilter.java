package io.hotpatch.operator.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Drops Micrometer's warning that Quarkus registered one of its HTTP connection gauges (current or
 * max connections) again, which it does once per event loop at every start: Quarkus's own
 * duplicate, which no user can act on.
 */
@LoggingFilter(name = DuplicateConnectionGaugeFilter.NAME)
public final class DuplicateConnectionGaugeFilter implements Filter {
  static final String NAME = "duplicate-connection-gauge";

  private static final String WARNING = "This Gauge has been already registered";
  private static final String GAUGES = "name='vertx.http.connections.";

  @Override
  public boolean isLoggable(LogRecord record) {
    String message =
        record instanceof ExtLogRecord extended
            ? extended.getFormattedMessage()
            : record.getMessage();
    return message == null || !(message.startsWith(WARNING) && message.contains(GAUGES));
  }
}
