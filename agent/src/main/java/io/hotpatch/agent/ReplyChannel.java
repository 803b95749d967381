package io.hotpatch.agent;

import io.hotpatch.core.WireFormat;
import java.util.Properties;

/**
 * The reply path to the attacher: a system property it reads through the attach API. Replies older
 * than {@link WireFormat#REPLY_TTL_MILLIS} are removed first, so few are ever left in the JVM and a
 * concurrent attacher's unread reply survives.
 */
final class ReplyChannel {
  private ReplyChannel() {}

  static void clearStale(long nowMillis) {
    for (String key : System.getProperties().stringPropertyNames()) {
      if (WireFormat.isStaleReply(key, nowMillis)) {
        System.clearProperty(key);
      }
    }
  }

  static void write(String key, Properties reply) {
    System.setProperty(key, WireFormat.encode(reply));
  }
}
