package io.hotpatch.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits one operation's time into named phases (a phase met again adds up): the agent's for its
 * reply's {@code phases}, the attacher's for its own steps.
 */
public final class PhaseClock {
  private final Map<String, Long> nanos = new LinkedHashMap<String, Long>();
  private long mark = System.nanoTime();

  /** Ends the running phase under {@code phase} and starts the next one. */
  public void lap(String phase) {
    long now = System.nanoTime();
    Long before = nanos.get(phase);
    nanos.put(phase, (before == null ? 0 : before) + now - mark);
    mark = now;
  }

  /** Milliseconds per phase, to a tenth. */
  public Map<String, Double> millis() {
    Map<String, Double> millis = new LinkedHashMap<String, Double>();
    for (Map.Entry<String, Long> phase : nanos.entrySet()) {
      millis.put(phase.getKey(), Math.round(phase.getValue() / 100_000.0) / 10.0);
    }
    return millis;
  }
}
