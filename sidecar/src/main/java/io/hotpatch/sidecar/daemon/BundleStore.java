package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleException;
import io.hotpatch.core.ProtectedClasses;
import io.hotpatch.core.Sha256;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The startup bundles in {@code $HOTPATCH_DIR/bundles}: one {@code NNNN-<sha256>.jar} per desired
 * APPLY order, numbered in apply order, so that a JVM (re)started with the startup agent gets
 * exactly the desired patches; the agent verifies each file's bytes against the name. A bundle
 * whose order allows JDK classes is named {@code NNNN-<sha256>.jdk.jar}, which is what lets the
 * startup agent apply it; a bundle that is no valid bundle, or patches classes its order does not
 * allow, is not staged.
 */
final class BundleStore {
  private static final Pattern FILE = Pattern.compile("(\\d{4})-([0-9a-f]{64})(\\.jdk)?\\.jar");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Where the channel's bundle bytes come from. */
  interface Source {
    byte[] bundle(String sha256) throws ChannelException;
  }

  /**
   * The outcome of a sync.
   *
   * @param files the staged file of each APPLY order, by sha256
   * @param problems why an order has no file, by sha256 (one line)
   * @param refusals why an order's bundle must not be applied here (it patches classes the order
   *     does not allow), by sha256 (one line); such a bundle has no file either
   * @param unfetched the sha256 of the orders whose bytes the channel did not give this time (an
   *     operator replica that does not lead, say): no verdict on them yet, sync again
   */
  record Staged(
      Map<String, Path> files,
      Map<String, String> problems,
      Map<String, String> refusals,
      Set<String> unfetched) {
    /** Whether a problem may go away by itself (the channel failed), so sync again. */
    boolean retry() {
      return !unfetched.isEmpty();
    }
  }

  private final Path dir;

  BundleStore(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Makes the directory hold exactly the desired APPLY bundles, fetching the missing ones. */
  Staged sync(DesiredState desired, Source source) throws IOException {
    return sync(desired, source, false);
  }

  /**
   * As {@link #sync(DesiredState, Source)}; with {@code keepUnlisted} a staged bundle that no order
   * names at all stays (one that an order reverts still goes).
   */
  Staged sync(DesiredState desired, Source source, boolean keepUnlisted) throws IOException {
    Files.createDirectories(dir);
    Map<String, Path> existing = existing();
    Map<String, Path> files = new LinkedHashMap<>();
    Map<String, String> problems = new HashMap<>();
    Map<String, String> refusals = new HashMap<>();
    Set<String> unfetched = new HashSet<>();
    int number = 0;
    for (PatchOrder order : desired.getPatches()) {
      String sha = order.getSha256();
      if (order.getAction() != PatchOrder.Action.APPLY || files.containsKey(sha)) {
        continue;
      }
      if (!SHA256.matcher(sha).matches()) {
        problems.put(
            sha,
            "order for "
                + order.getPatch()
                + " pins '"
                + sha
                + "', not a lowercase"
                + " hex sha256: fix spec.bundle.sha256 of the HotPatch");
        continue;
      }
      Path wanted =
          dir.resolve(
              String.format(
                  "%04d-%s%s.jar", ++number, sha, order.isAllowJdkClasses() ? ".jdk" : ""));
      Path found = existing.remove(sha);
      byte[] bytes;
      try {
        bytes = found != null ? Files.readAllBytes(found) : source.bundle(sha);
      } catch (ChannelException e) {
        problems.put(sha, e.getMessage());
        unfetched.add(sha);
        continue;
      }
      String actual = Sha256.hex(bytes);
      if (!actual.equals(sha)) {
        problems.put(
            sha,
            "bundle of "
                + order.getPatch()
                + " refused: its bytes have sha256 "
                + actual
                + ", not the pinned "
                + sha
                + "; nothing was redefined: check the bundle"
                + " ConfigMap and spec.bundle.sha256");
      } else if (usable(order, bytes, problems, refusals)) {
        if (found == null) {
          write(wanted, bytes);
        } else if (!found.equals(wanted)) {
          Files.move(found, wanted, StandardCopyOption.ATOMIC_MOVE);
        }
        files.put(sha, wanted);
        continue;
      }
      if (found != null) {
        Files.delete(found);
      }
    }
    Set<String> named = new HashSet<>();
    desired.getPatches().forEach(order -> named.add(order.getSha256()));
    for (Map.Entry<String, Path> stale : existing.entrySet()) {
      if (!keepUnlisted || named.contains(stale.getKey())) {
        Files.deleteIfExists(stale.getValue());
      }
    }
    return new Staged(files, problems, refusals, Set.copyOf(unfetched));
  }

  /** Checks a bundle as the agent will (limits, names, protected classes); records why not. */
  private static boolean usable(
      PatchOrder order, byte[] bytes, Map<String, String> problems, Map<String, String> refusals) {
    try {
      String refusal = ProtectedClasses.refusal(Bundle.verify(bytes), order.isAllowJdkClasses());
      if (refusal != null) {
        refusals.put(order.getSha256(), refusal + "; not applied, not staged");
      }
      return refusal == null;
    } catch (BundleException e) {
      problems.put(
          order.getSha256(), "bundle of " + order.getPatch() + " refused: " + e.getMessage());
      return false;
    }
  }

  private void write(Path file, byte[] bytes) throws IOException {
    Path partial = Files.createTempFile(dir, "." + file.getFileName(), ".part");
    try {
      Files.write(partial, bytes);
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(
          partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** The staged files by sha256; other files in the directory are not ours and stay. */
  private Map<String, Path> existing() throws IOException {
    Map<String, Path> bySha = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        Matcher name = FILE.matcher(file.getFileName().toString());
        if (name.matches() && bySha.putIfAbsent(name.group(2), file) != null) {
          Files.delete(file);
        }
      }
    }
    return bySha;
  }
}
