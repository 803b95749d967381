package io.hotpatch.core;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.TreeSet;

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

  /**
   * The lines {@link Properties#store(java.io.Writer, String)} writes, one {@code key=value} per
   * entry in key order, without its date comment: {@code store} always writes one, and formatting
   * that date is the first use of locale data in many JVMs, which made a resident agent's first
   * reply on its socket about 70 ms slower inside the application.
   */
  public static String encode(Properties properties) {
    StringBuilder out = new StringBuilder();
    for (String key : new TreeSet<String>(properties.stringPropertyNames())) {
      escape(key, true, out);
      out.append('=');
      escape(properties.getProperty(key), false, out);
      out.append('\n');
    }
    return out.toString();
  }

  /** Escapes as {@code store} does: a key's spaces, a value's leading space, and {@code \=:#!}. */
  private static void escape(String text, boolean isKey, StringBuilder out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case ' ':
          out.append(isKey || i == 0 ? "\\ " : " ");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\f':
          out.append("\\f");
          break;
        case '\\':
        case '=':
        case ':':
        case '#':
        case '!':
          out.append('\\').append(c);
          break;
        default:
          out.append(c);
      }
    }
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
