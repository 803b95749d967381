package io.hotpatch.agent;

import io.hotpatch.core.AgentSocketProtocol;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleEntry;
import io.hotpatch.core.BundleException;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ProtectedClasses;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Startup mode ({@code -javaagent:hotpatch-agent.jar=bundles=DIR_OR_PATHS}): reads the bundles in
 * order and registers their classes for substitution at load time. A bad bundle is skipped and
 * recorded as a warning; it never stops the JVM.
 */
final class StartupBundles {
  /**
   * {@code <sha256>.jar} or {@code <order>-<sha256>.jar} (the sidecar's staging names) pin the
   * bytes.
   */
  private static final Pattern PINNED_NAME =
      Pattern.compile("(?:.*-)?([0-9a-f]{64})(?:\\.jdk)?\\.jar");

  /**
   * A bundle file named {@code *.jdk.jar} may patch JDK classes (the sidecar names it so when
   * allowed).
   */
  private static final String JDK_ALLOWED_SUFFIX = ".jdk.jar";

  private StartupBundles() {}

  /** The bundle files named by the agent arguments, in the order they apply. */
  static List<File> files(String agentArgs, PatchRegistry registry) {
    List<File> files = new ArrayList<File>();
    String bundles = null;
    for (String pair : agentArgs == null ? new String[0] : agentArgs.split("&")) {
      if (pair.startsWith("bundles=")) {
        bundles = pair.substring("bundles=".length());
      } else if (!pair.trim().isEmpty() && !pair.startsWith(AgentSocketProtocol.SOCKET_ARGUMENT)) {
        registry.warn(
            "unknown startup argument '"
                + pair
                + "' ignored: use bundles=<dir or paths separated by "
                + File.pathSeparator
                + "> and socket=<dir>");
      }
    }
    if (bundles == null) {
      return files;
    }
    for (String path : bundles.split(File.pathSeparator)) {
      if (path.isEmpty()) {
        continue;
      }
      File file = new File(path);
      File[] inDir = file.listFiles();
      if (inDir == null) {
        files.add(file);
        continue;
      }
      Arrays.sort(inDir);
      for (File child : inDir) {
        if (child.isFile() && child.getName().endsWith(".jar")) {
          files.add(child);
        }
      }
    }
    return files;
  }

  /**
   * Reads one startup bundle and registers it; returns the problem, or null when it was registered.
   */
  static String register(File file, PatchRegistry registry) {
    Bundle bundle;
    try {
      bundle = Bundle.read(file);
    } catch (BundleException e) {
      return "startup bundle skipped: " + e.getMessage();
    } catch (RuntimeException e) {
      return "startup bundle skipped: bundle "
          + file
          + " could not be read ("
          + Throwables.describe(e)
          + "): rebuild it with 'hotpatch diff'";
    }
    Matcher pinned = PINNED_NAME.matcher(file.getName());
    if (pinned.matches() && !pinned.group(1).equals(bundle.getSha256())) {
      return "startup bundle skipped: bundle "
          + file
          + " has sha256 "
          + bundle.getSha256()
          + ", not the one its name pins: stage the bundle again";
    }
    String refusal =
        ProtectedClasses.refusal(
            bundle.getClasses().keySet(), file.getName().endsWith(JDK_ALLOWED_SUFFIX));
    if (refusal != null) {
      return "startup bundle skipped: "
          + file
          + ": "
          + refusal
          + " (at JVM start: name the file *"
          + JDK_ALLOWED_SUFFIX
          + ")";
    }
    String tooNew = ClassFileLevel.tooNew(bundle, ClassFileLevel.runningFeature());
    if (tooNew != null) {
      return "startup bundle skipped: bundle " + file + ": " + tooNew;
    }
    if (registry.byId(bundle.getSha256()) != null) {
      return null;
    }
    registry.add(patchFor(bundle));
    return null;
  }

  static ActivePatch patchFor(Bundle bundle) {
    ActivePatch patch =
        new ActivePatch(
            bundle.getSha256(),
            System.currentTimeMillis(),
            PatchMethod.STARTUP,
            new ArrayList<String>(bundle.getClasses().keySet()));
    Map<String, byte[]> added = new LinkedHashMap<String, byte[]>();
    List<String> replaced = new ArrayList<String>();
    for (String name : bundle.getClasses().keySet()) {
      BundleEntry entry = bundle.getManifest().entry(name);
      if (entry != null && entry.getKind() == BundleEntry.Kind.ADDED) {
        added.put(name, bundle.getClasses().get(name));
      } else {
        replaced.add(name);
      }
    }
    for (String name : replaced) {
      BundleEntry entry = bundle.getManifest().entry(name);
      patch.addPending(
          new PendingClass(
              patch,
              name,
              entry == null ? "" : entry.getOriginalDigest(),
              bundle.getClasses().get(name),
              companionsOf(name, added, replaced)));
    }
    return patch;
  }

  /** The added classes a replaced class brings along: those of its package, or all when none is. */
  private static Map<String, byte[]> companionsOf(
      String name, Map<String, byte[]> added, List<String> replaced) {
    Map<String, byte[]> companions = new LinkedHashMap<String, byte[]>();
    for (Map.Entry<String, byte[]> candidate : added.entrySet()) {
      String pkg = Loaders.packageOf(candidate.getKey());
      if (pkg.equals(Loaders.packageOf(name)) || !hasClassIn(pkg, replaced)) {
        companions.put(candidate.getKey(), candidate.getValue());
      }
    }
    return companions;
  }

  private static boolean hasClassIn(String pkg, List<String> names) {
    for (String name : names) {
      if (Loaders.packageOf(name).equals(pkg)) {
        return true;
      }
    }
    return false;
  }
}
