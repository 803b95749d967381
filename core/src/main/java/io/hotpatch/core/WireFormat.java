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

  private WireFormat() {}

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
