package io.hotpatch.core;

import java.io.File;
import java.io.IOException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The hotpatch agent's version as its jar's manifest records it ({@code Implementation-Version}:
 * the project version plus the build's time, so two builds of one SNAPSHOT tell apart): the agent
 * reports the one it runs, an attacher reads the one of the jar it offers, and the two must be the
 * same. The agent reads it from its package, which the class loader defined from that manifest.
 */
public final class AgentVersion {
  /** The key under which every agent reply carries the version of the agent that wrote it. */
  public static final String REPLY_PROPERTY = "agent.version";

  private AgentVersion() {}

  /**
   * The version of an agent jar on disk, or "" for a jar that names none (built before versions).
   */
  public static String ofJar(File jar) throws IOException {
    JarFile file = new JarFile(jar, false);
    try {
      Manifest manifest = file.getManifest();
      String version =
          manifest == null
              ? null
              : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
      return version == null ? "" : version.trim();
    } finally {
      file.close();
    }
  }
}
