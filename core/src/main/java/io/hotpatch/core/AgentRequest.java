package io.hotpatch.core;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the attacher asks of the agent, encoded as the agent's argument string ({@code
 * op=apply&bundle=%2Ftmp%2Fb.jar&sha256=...&reply=hotpatch.reply.42}).
 */
public final class AgentRequest {
  /** Operations the agent understands. */
  public enum Operation {
    CHECK,
    APPLY,
    REVERT,
    STATUS
  }

  private final Operation operation;
  private final String bundlePath;
  private final String expectedSha256;
  private final String patchId;
  private final String replyKey;
  private final boolean allowJdkClasses;
  private String agentVersion = "";

  public AgentRequest(
      Operation operation,
      String bundlePath,
      String expectedSha256,
      String patchId,
      String replyKey) {
    this(operation, bundlePath, expectedSha256, patchId, replyKey, false);
  }

  public AgentRequest(
      Operation operation,
      String bundlePath,
      String expectedSha256,
      String patchId,
      String replyKey,
      boolean allowJdkClasses) {
    this.allowJdkClasses = allowJdkClasses;
    this.operation = operation;
    this.bundlePath = bundlePath == null ? "" : bundlePath;
    this.expectedSha256 = expectedSha256 == null ? "" : expectedSha256;
    this.patchId = patchId == null ? "" : patchId;
    this.replyKey = replyKey;
  }

  public Operation getOperation() {
    return operation;
  }

  /** Path of the bundle as the target JVM sees it (check and apply). */
  public String getBundlePath() {
    return bundlePath;
  }

  /** The sha256 the bundle must have, or empty to skip the pin (local CLI use). */
  public String getExpectedSha256() {
    return expectedSha256;
  }

  /** Patch id or unique prefix of one (revert). */
  public String getPatchId() {
    return patchId;
  }

  /** System property under which the agent leaves its reply. */
  public String getReplyKey() {
    return replyKey;
  }

  /**
   * The version of the agent jar the attacher offers, so that an older agent already running
   * refuses.
   */
  public String getAgentVersion() {
    return agentVersion;
  }

  public AgentRequest withAgentVersion(String version) {
    AgentRequest copy =
        new AgentRequest(operation, bundlePath, expectedSha256, patchId, replyKey, allowJdkClasses);
    copy.agentVersion = version == null ? "" : version;
    return copy;
  }

  /**
   * Whether the bundle may patch JDK classes (the HotPatch's spec.allowJdkClasses); false unless
   * said.
   */
  public boolean isAllowJdkClasses() {
    return allowJdkClasses;
  }

  public String encode() {
    Map<String, String> fields = new LinkedHashMap<String, String>();
    fields.put("op", operation.name().toLowerCase(java.util.Locale.ROOT));
    fields.put("bundle", bundlePath);
    fields.put("sha256", expectedSha256);
    fields.put("patch", patchId);
    fields.put("reply", replyKey);
    fields.put("agent", agentVersion);
    fields.put("jdk", allowJdkClasses ? "allow" : "");
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (field.getValue().isEmpty()) {
        continue;
      }
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(field.getKey()).append('=').append(urlEncode(field.getValue()));
    }
    return out.toString();
  }

  /** Parses an argument string; throws IllegalArgumentException naming what is wrong. */
  public static AgentRequest decode(String args) {
    Map<String, String> fields = fields(args);
    String op = fields.get("op");
    if (op == null) {
      throw new IllegalArgumentException("agent arguments name no operation (op=...): " + args);
    }
    String reply = replyKeyOf(args);
    if (reply == null) {
      throw new IllegalArgumentException("agent arguments name no reply key: " + args);
    }
    Operation operation;
    try {
      operation = Operation.valueOf(op.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown agent operation '" + op + "': use check, apply, revert or status");
    }
    return new AgentRequest(
            operation,
            fields.get("bundle"),
            fields.get("sha256"),
            fields.get("patch"),
            reply,
            "allow".equals(fields.get("jdk")))
        .withAgentVersion(fields.get("agent"));
  }

  /**
   * The reply key of an argument string even when the rest of it is unusable, so that the agent can
   * still say what was wrong; null when there is none.
   */
  public static String replyKeyOf(String args) {
    String reply;
    try {
      reply = fields(args).get("reply");
    } catch (IllegalArgumentException e) {
      return null;
    }
    return reply != null
            && reply.startsWith(WireFormat.REPLY_PROPERTY_PREFIX)
            && reply.length() > WireFormat.REPLY_PROPERTY_PREFIX.length()
        ? reply
        : null;
  }

  private static Map<String, String> fields(String args) {
    Map<String, String> fields = new LinkedHashMap<String, String>();
    if (args != null) {
      for (String pair : args.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          fields.put(pair.substring(0, eq), urlDecode(pair.substring(eq + 1)));
        }
      }
    }
    return fields;
  }

  private static String urlEncode(String value) {
    try {
      return URLEncoder.encode(value, "UTF-8");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String urlDecode(String value) {
    try {
      return URLDecoder.decode(value, "UTF-8");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
