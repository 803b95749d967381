package io.hotpatch.core;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The hotpatch agent's version as its jar records it ({@value #RESOURCE}): the agent reports the
 * one it runs, an attacher reads the one of the jar it offers, and the two must be the same.
 */
public final class AgentVersion {
  /** The resource in the agent jar that names its version (project version and build). */
  public static final String RESOURCE = "io/hotpatch/agent/agent-version.properties";

  /** The key under which every agent reply carries the version of the agent that wrote it. */
  public static final String REPLY_PROPERTY = "agent.version";

  private static final int MAX_BYTES = 4096;

  private AgentVersion() {}

  /** The version a {@link #RESOURCE} stream names, or "" when it names none. */
  public static String read(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try {
      byte[] bytes = new byte[MAX_BYTES];
      int length = 0;
      for (int n;
          length < bytes.length && (n = in.read(bytes, length, bytes.length - length)) > 0; ) {
        length += n;
      }
      Properties properties = new Properties();
      properties.load(new java.io.ByteArrayInputStream(bytes, 0, length));
      return properties.getProperty("version", "").trim();
    } finally {
      in.close();
    }
  }

  /**
   * The version of an agent jar on disk, or "" for a jar that names none (built before versions).
   */
  public static String ofJar(File jar) throws IOException {
    ZipFile zip = new ZipFile(jar);
    try {
      ZipEntry entry = zip.getEntry(RESOURCE);
      return entry == null ? "" : read(zip.getInputStream(entry));
    } finally {
      zip.close();
    }
  }
}
