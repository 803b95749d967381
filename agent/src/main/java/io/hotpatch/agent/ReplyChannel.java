package io.hotpatch.agent;

import io.hotpatch.core.WireFormat;
import java.util.Properties;

/**
 * The reply path to the attacher: a system property it reads through the attach API. Older replies
 * are removed first, so at most one is ever left in the JVM.
 */
final class ReplyChannel {
  private ReplyChannel() {}

  static void clear() {
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith(WireFormat.REPLY_PROPERTY_PREFIX)) {
        System.clearProperty(key);
      }
    }
  }

  static void write(String key, Properties reply) {
    System.setProperty(key, WireFormat.encode(reply));
  }
}
