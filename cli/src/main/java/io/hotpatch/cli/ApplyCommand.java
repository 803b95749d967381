package io.hotpatch.cli;

import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleException;
import io.hotpatch.core.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hotpatch apply}: applies a bundle to a running JVM, or checks it with {@code --dry-run}.
 */
@Command(
    name = "apply",
    description = {
      "Apply a patch bundle to a running JVM without restarting it (all classes or none).",
      "Exit 0 applied or already applied, 3 not hot-applicable, 4 precondition failed (the JVM runs"
          + " another version of a class), 1 other failure."
    })
final class ApplyCommand extends CliCommand {
  @Option(
      names = "--pid",
      required = true,
      paramLabel = "PID",
      description = "The target JVM ('hotpatch jvms' lists them).")
  long pid;

  @Parameters(
      index = "0",
      paramLabel = "BUNDLE",
      description = "The bundle jar ('hotpatch diff --out' writes one).")
  Path bundle;

  @Option(
      names = "--dry-run",
      description = "Only check whether the bundle would apply; change nothing.")
  boolean dryRun;

  @Option(
      names = "--sha256",
      paramLabel = "PIN",
      description = "Refuse the bundle unless its sha256 is this.")
  String pin;

  @Option(
      names = "--allow-jdk-classes",
      description =
          "DANGEROUS: let the bundle patch classes of the JDK itself"
              + " (java.*, javax.*, jdk.*, sun.*, com.sun.*), which are refused otherwise.")
  boolean allowJdkClasses;

  @Override
  public Integer call() {
    String verified = verifiedSha256(bundle, pin);
    long start = System.nanoTime();
    Agent agent = Agent.local();
    return printResult(
        pid,
        dryRun
            ? agent.check(pid, bundle, verified, allowJdkClasses)
            : agent.apply(pid, bundle, verified, allowJdkClasses),
        start);
  }

  /**
   * Reads and validates the bundle here, so that bad input never reaches the target, and returns
   * the sha256 the agent must see again (the pin, re-verified at the next hop).
   */
  static String verifiedSha256(Path bundle, String pin) {
    if (pin != null && !Sha256.isValid(pin)) {
      throw CliException.usage(
          "--sha256 '"
              + pin
              + "' is not a sha256: pass 64 lowercase hex characters, as 'hotpatch diff' prints");
    }
    if (!Files.exists(bundle)) {
      throw CliException.usage(
          bundle
              + " does not exist: pass the path of a bundle jar ('hotpatch diff --out' writes one)");
    }
    if (Files.isDirectory(bundle)) {
      throw CliException.usage(
          bundle
              + " is a directory: pass the path of a bundle jar ('hotpatch diff --out' writes one)");
    }
    Bundle read;
    try {
      read = Bundle.read(bundle.toFile());
    } catch (BundleException e) {
      throw CliException.failure(e.getMessage());
    }
    if (pin != null && !pin.equals(read.getSha256())) {
      throw CliException.failure(
          "bundle "
              + bundle
              + " has sha256 "
              + read.getSha256()
              + ", not the pinned "
              + pin
              + ": pass the bundle you meant or correct --sha256");
    }
    return read.getSha256();
  }
}
