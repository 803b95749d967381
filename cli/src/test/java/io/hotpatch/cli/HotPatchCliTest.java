package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Usage errors of the top-level command: exit code 2 and one line naming the fix. */
class HotPatchCliTest {
  @Test
  void noSubcommandPrintsUsageAndExitsTwo() {
    CliRun run = CliRun.of();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Usage: hotpatch", "diff", "Exit codes");
  }

  @Test
  void unknownSubcommandIsAOneLineUsageError() {
    CliRun run = CliRun.of("frobnicate");

    assertThat(run.exitCode()).isEqualTo(2);
    run.assertOneLineError(
        "'frobnicate' is not a hotpatch command: use one of diff, manifests, apply, revert, status, jvms, demo, bench");
    assertThat(run.err()).contains("--help");
  }

  @Test
  void usageErrorsInJsonModePrintTheErrorDocument() throws Exception {
    CliRun unknown = CliRun.of("frobnicate", "--json");
    CliRun badNumber = CliRun.of("apply", "--pid", "abc", "fix.jar", "--json");

    for (CliRun run : new CliRun[] {unknown, badNumber}) {
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
      var error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
      assertThat(error.get("status").asText()).isEqualTo("ERROR");
      assertThat(error.get("exitCode").asInt()).isEqualTo(2);
      assertThat("hotpatch: " + error.get("error").asText()).isEqualTo(run.err().strip());
    }
    badNumber.assertOneLineError(
        "--pid 'abc' is not a whole number: pass digits only (run 'hotpatch apply --help' for usage)");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun run = CliRun.of("diff", "a.jar", "b.jar", "--bogus");

    assertThat(run.exitCode()).isEqualTo(2);
    run.assertOneLineError("--bogus");
  }

  @Test
  void everySubcommandExplainsItselfWithHelp() {
    for (String command :
        new String[] {"diff", "manifests", "apply", "revert", "status", "jvms", "demo", "bench"}) {
      CliRun run = CliRun.of(command, "--help");

      assertThat(run.exitCode()).as(command).isZero();
      assertThat(run.out()).as(command).contains("Usage: hotpatch " + command, "--json");
    }
  }

  @Test
  void aCommandLineNamingASubcommandModelsOnlyThatOneAndStillHasTheStandardOptions() {
    assertThat(HotPatchCli.newCommandLine("apply", "--pid", "1", "fix.jar").getSubcommands())
        .containsOnlyKeys("apply");
    assertThat(HotPatchCli.newCommandLine("--help").getSubcommands()).hasSize(8);

    CliRun version = CliRun.of("apply", "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("hotpatch 0.1.0");
  }
}
