package io.hotpatch.core;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Turns {@link Properties} into one string and back, for results carried in a system property. */
public final class WireFormat {
  /** Prefix of the system property in which the agent leaves a reply for the attacher. */
  public static final String REPLY_PROPERTY_PREFIX = "hotpatch.reply.";

  /** How long a reply may wait for its attacher before a later operation removes it. */
  public static final long REPLY_TTL_MILLIS = 60_000L;

  private WireFormat() {}

  /**
   * A reply key that carries the time it was issued, so the agent can drop stale replies without
   * removing one that a concurrent attacher has not read yet.
   */
  public static String newReplyKey(long nowMillis, long nonce) {
    return REPLY_PROPERTY_PREFIX + nowMillis + "." + Long.toHexString(nonce & Long.MAX_VALUE);
  }

  /** Whether a reply left under {@code key} is old enough (or malformed enough) to remove. */
  public static boolean isStaleReply(String key, long nowMillis) {
    if (!key.startsWith(REPLY_PROPERTY_PREFIX)) {
      return false;
    }
    String rest = key.substring(REPLY_PROPERTY_PREFIX.length());
    int dot = rest.indexOf('.');
    try {
      long issued = Long.parseLong(dot < 0 ? rest : rest.substring(0, dot));
      return nowMillis - issued > REPLY_TTL_MILLIS;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  public static String encode(Properties properties) {
    StringWriter out = new StringWriter();
    try {
      properties.store(out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public static Properties decode(String text) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
