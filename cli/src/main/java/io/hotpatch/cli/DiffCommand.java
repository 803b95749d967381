package io.hotpatch.cli;

import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hotpatch diff}: classifies every class change between two builds and writes the bundle.
 */
@Command(
    name = "diff",
    description = {
      "Compare two builds (jars or class directories), classify each changed class as hot-applicable"
          + " or not, and write the patch bundle.",
      "Exit 0 when every change is hot-applicable, 3 when not (the bundle is still written: it"
          + " applies at JVM start with -javaagent).",
      "Reads jars, WARs, Spring Boot fat jars and directories (a Quarkus quarkus-app directory too),"
          + " nested jars included: the bundle names classes by binary name, whichever loader loads them.",
      "When nothing is patchable (the builds differ only in debug attributes, or only by removed classes,"
          + " which a live JVM keeps loaded) it lists the removed classes, says so, writes no bundle and exits 0"
          + " (JSON status NOTHING_TO_PATCH; IDENTICAL when both builds hold the same class files)."
    })
final class DiffCommand extends CliCommand {
  @Parameters(
      index = "0",
      paramLabel = "OLD",
      description = "The build running now (jar or directory).")
  Path oldBuild;

  @Parameters(index = "1", paramLabel = "NEW", description = "The fixed build (jar or directory).")
  Path newBuild;

  @Option(
      names = "--out",
      paramLabel = "BUNDLE.jar",
      description = "Where to write the patch bundle.")
  Path out;

  @Option(
      names = "--on",
      paramLabel = "BUNDLE.jar",
      description =
          "A bundle the JVM already runs (OLD is the"
              + " build it came from); repeat it for each, oldest first. The restart advice then lists them all.")
  List<Path> stackedOn = List.of();

  /** What {@code --json} prints. */
  record Report(
      String status,
      boolean hotApplicable,
      String oldBuild,
      String newBuild,
      String bundle,
      String sha256,
      int bundleClasses,
      List<ClassDiff> classes,
      List<String> reasons,
      List<String> warnings,
      String startupOption) {}

  @Override
  public Integer call() {
    Build before = ClassFiles.read(oldBuild);
    Build after = ClassFiles.read(newBuild);
    stackedOn.forEach(bundle -> ApplyCommand.verifiedSha256(bundle, null));
    JarDiff diff = JarDiff.compare(before.classes(), after.classes());
    List<String> warnings = new ArrayList<>(before.warnings());
    warnings.addAll(after.warnings());
    warnings.addAll(diff.warnings());
    if (diff.classes().isEmpty() && identical(before, after)) {
      return identical(before);
    }
    if (diff.bundleClassCount() == 0) {
      return nothingToPatch(diff);
    }
    byte[] bundle = diff.bundle();
    String sha256 = Sha256.hex(bundle);
    if (out != null) {
      write(bundle);
    }
    ResultState verdict =
        diff.isHotApplicable() ? ResultState.APPLIED : ResultState.NOT_HOT_APPLICABLE;
    String startupOption = diff.isHotApplicable() ? null : startupOption();
    if (json) {
      printJson(
          new Report(
              diff.isHotApplicable() ? "HOT_APPLICABLE" : "NOT_HOT_APPLICABLE",
              diff.isHotApplicable(),
              oldBuild.toString(),
              newBuild.toString(),
              out == null ? null : out.toAbsolutePath().toString(),
              sha256,
              diff.bundleClassCount(),
              diff.classes(),
              diff.reasons(),
              warnings,
              startupOption));
    } else {
      printClasses(diff);
      printVerdict(diff, warnings, sha256, startupOption);
    }
    return verdict.exitCode();
  }

  private static boolean identical(Build before, Build after) {
    if (!before.classes().keySet().equals(after.classes().keySet())) {
      return false;
    }
    return before.classes().entrySet().stream()
        .allMatch(entry -> Arrays.equals(entry.getValue(), after.classes().get(entry.getKey())));
  }

  private int identical(Build build) {
    if (json) {
      printJson(
          new Report(
              "IDENTICAL",
              true,
              oldBuild.toString(),
              newBuild.toString(),
              null,
              null,
              0,
              List.of(),
              List.of(),
              List.of(),
              null));
    } else {
      say(
          "nothing to patch: the builds are identical (the same "
              + plural(build.classes().size(), "class file", "class files")
              + "); no bundle written: pass the build the JVM runs and the fixed build");
    }
    return 0;
  }

  /**
   * The JVM option that applies this bundle at start, as pasted: the agent's absolute path, then
   * every bundle the JVM needs, oldest first (those it stacks on, then this one).
   */
  private String startupOption() {
    List<String> bundles = new ArrayList<>();
    stackedOn.forEach(bundle -> bundles.add(bundle.toAbsolutePath().normalize().toString()));
    bundles.add(out == null ? "BUNDLE.jar" : out.toAbsolutePath().normalize().toString());
    String agent;
    try {
      agent = AgentJar.locate().toString();
    } catch (CliException notBuilt) {
      agent = "/path/to/hotpatch-agent.jar";
    }
    return "-javaagent:" + agent + "=bundles=" + String.join(File.pathSeparator, bundles);
  }

  private int nothingToPatch(JarDiff diff) {
    String why =
        diff.removedClasses().isEmpty()
            ? "the builds differ only in debug attributes"
            : "the builds differ only by removed classes ("
                + String.join(", ", diff.removedClasses())
                + "), which a live JVM keeps loaded";
    String message = "nothing to patch: " + why + "; no bundle written";
    if (json) {
      printJson(
          new Report(
              "NOTHING_TO_PATCH",
              true,
              oldBuild.toString(),
              newBuild.toString(),
              null,
              null,
              0,
              diff.classes(),
              List.of(),
              List.of(),
              null));
    } else {
      printClasses(diff);
      say(message);
    }
    return 0;
  }

  private void printClasses(JarDiff diff) {
    for (ClassDiff c : diff.classes()) {
      String verdict =
          switch (c.change()) {
            case REMOVED -> "removed (a live JVM keeps it loaded)";
            case ADDED -> "hot-applicable (new class)";
            case CHANGED -> c.hotApplicable() ? "hot-applicable" : "NOT hot-applicable";
          };
      say(String.format("%-8s %-40s %s", c.change(), c.name(), verdict));
      c.reasons().forEach(reason -> say("           - " + reason));
    }
  }

  private void printVerdict(
      JarDiff diff, List<String> warnings, String sha256, String startupOption) {
    warnings.forEach(warning -> say("warning: " + warning));
    say(
        out == null
            ? "bundle: not written (" + classCount(diff) + "; add --out BUNDLE.jar to write it)"
            : "bundle: " + out + " (" + classCount(diff) + ")");
    say("sha256: " + sha256);
    String bundle = out == null ? "BUNDLE.jar" : out.toString();
    say(
        diff.isHotApplicable()
            ? "verdict: hot-applicable: apply it live with 'hotpatch apply --pid PID "
                + bundle
                + "'"
            : "verdict: NOT hot-applicable ("
                + plural(diff.reasons().size(), "reason", "reasons")
                + " above): restart"
                + " the JVM with "
                + startupOption
                + " to apply it at startup"
                + (stackedOn.isEmpty()
                    ? " (if OLD is a patched build, diff again with --on BUNDLE for each patch"
                        + " that led to it, oldest first, so the option lists them too)"
                    : ""));
  }

  private static String classCount(JarDiff diff) {
    return plural(diff.bundleClassCount(), "class", "classes");
  }

  /**
   * Writes through a temporary file, so a failure never leaves a half-written bundle behind;
   * created like any file (0666 less the umask), not 0600 as createTempFile would.
   */
  private void write(byte[] bundle) {
    Path target = out.toAbsolutePath();
    try {
      Files.createDirectories(target.getParent());
      Path temp =
          target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
      try {
        Files.write(temp, bundle, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.move(
            temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw CliException.failure(
          "cannot write bundle " + out + " (" + e + "): pass a writable --out path");
    }
  }
}
