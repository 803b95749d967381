package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to apply and revert is refused before any attach, in one line naming the cause and the
 * fix.
 */
class PatchCommandErrorsTest {
  // No such process: a command that got as far as attaching would fail with exit 1 naming the pid.
  private static final String NO_PID = "999999";

  @TempDir Path dir;

  @Test
  void aMissingBundleIsAUsageError() {
    CliRun run = CliRun.of("apply", "--pid", NO_PID, dir.resolve("fix.jar").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    run.assertOneLineError("fix.jar does not exist: pass the path of a bundle jar");
  }

  @Test
  void aDirectoryIsAUsageErrorThatSaysSo() {
    CliRun run = CliRun.of("apply", "--pid", NO_PID, dir.toString(), "--dry-run");

    assertThat(run.exitCode()).isEqualTo(2);
    run.assertOneLineError(dir + " is a directory");
  }

  @Test
  void aBadBundleIsNamedInTheError() throws Exception {
    Path notJar = Files.writeString(dir.resolve("fix.jar"), "not a jar");

    CliRun run = CliRun.of("apply", "--pid", NO_PID, notJar.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("bundle " + notJar + " is not a jar");
  }

  @Test
  void anUnreadableBundleNamesThePermissionFix() throws Exception {
    assumeFalse(
        "root".equals(System.getProperty("user.name")),
        "root reads every file: cannot test permissions");
    Path locked = Files.writeString(dir.resolve("fix.jar"), "x");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));

    CliRun run = CliRun.of("apply", "--pid", NO_PID, locked.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("chmod a+r");
  }

  @Test
  void anEmptyOrMalformedPatchIdIsAUsageErrorBeforeAttaching() {
    CliRun empty = CliRun.of("revert", "--pid", NO_PID, "");
    CliRun notHex = CliRun.of("revert", "--pid", NO_PID, "fix-price");

    assertThat(empty.exitCode()).isEqualTo(2);
    empty.assertOneLineError(
        "'' is not a patch id: pass the bundle's sha256 or a unique prefix of it");
    assertThat(notHex.exitCode()).isEqualTo(2);
    notHex.assertOneLineError("'fix-price' is not a patch id");
  }
}
