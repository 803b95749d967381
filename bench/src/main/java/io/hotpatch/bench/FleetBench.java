package io.hotpatch.bench;

import io.hotpatch.sidecar.daemon.SidecarMain;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hotpatch-fleet-bench}: time to patch a simulated fleet, and what it costs the operator,
 * per fleet size.
 */
@Command(
    name = "hotpatch-fleet-bench",
    mixinStandardHelpOptions = true,
    version = "hotpatch-fleet-bench 0.1.0",
    sortOptions = false,
    description =
        "Runs the built operator against the mock API server with fleets of"
            + " simulated pods whose sidecars run the real daemon code in this process, and measures HotPatch"
            + " creation to Ready and the operator's CPU and heap at each size.")
public final class FleetBench implements Callable<Integer> {
  @Option(
      names = "--pods",
      split = ",",
      defaultValue = "100,1000",
      paramLabel = "N",
      description =
          "Fleet sizes, each run with a fresh operator and API server (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes = new ArrayList<>();

  @Option(
      names = "--runs",
      defaultValue = "1",
      paramLabel = "N",
      description = "Runs per size; the table shows medians (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--apply-millis",
      defaultValue = "200",
      paramLabel = "MS",
      description =
          "Time a simulated JVM takes to attach and redefine (default: ${DEFAULT-VALUE}, about what"
              + " `hotpatch bench` measures on a real JVM).")
  long applyMillis;

  @Option(
      names = "--max-parallel",
      defaultValue = "100%",
      paramLabel = "N|N%",
      description = "The HotPatch's strategy.maxParallel (default: ${DEFAULT-VALUE}, one wave).")
  String maxParallel;

  @Option(
      names = "--own-clients-up-to",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "Largest fleet whose simulated sidecars each get a channel client (threads, TLS context)"
              + " of their own; in larger fleets 250 sidecars share one, or they would not fit in"
              + " this process"
              + " (default: ${DEFAULT-VALUE}).")
  int ownClientsUpTo;

  @Mixin OperatorOptions operator = new OperatorOptions();

  @Option(
      names = "--work-dir",
      defaultValue = "target/fleet-bench",
      paramLabel = "DIR",
      description =
          "Logs of the operator and the sidecars, certificates and pod folders (default: ${DEFAULT-VALUE}).")
  Path workDir;

  private final PrintStream out;

  FleetBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    runSidecarsAsShipped();
    System.exit(commandLine(System.out).execute(args));
  }

  /**
   * Gives this JVM, where the simulated sidecars run, the system properties the sidecar image runs
   * with, before any TLS class reads them: without its X25519-only key share, each simulated
   * handshake also made a P-256 key, a cost no shipped sidecar pays.
   */
  static void runSidecarsAsShipped() {
    SidecarMain.JVM_FLAGS.stream()
        .filter(flag -> flag.startsWith("-D"))
        .map(flag -> flag.substring(2).split("=", 2))
        .forEach(property -> System.setProperty(property[0], property[1]));
  }

  /** The command, with failures as one line on stderr instead of a stack trace. */
  static CommandLine commandLine(PrintStream out) {
    return new CommandLine(new FleetBench(out))
        .setExecutionExceptionHandler(
            (e, command, parsed) -> {
              command.getErr().println("hotpatch-fleet-bench: " + e.getMessage());
              return 1;
            });
  }

  @Override
  public Integer call() throws Exception {
    if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 1) || runs < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--pods needs fleet sizes of 1 or more, like 100,1000, and --runs 1 or more");
    }
    out.printf(
        "fleet benchmark: operator %s on %s; simulated apply %d ms; maxParallel %s%n",
        operator.jar(), operator.javaHome(), applyMillis, maxParallel);
    List<List<FleetFigures>> runsBySize = new ArrayList<>();
    for (int pods : sizes) {
      List<FleetFigures> runsOfSize = new ArrayList<>();
      for (int run = 0; run < runs; run++) {
        runsOfSize.add(
            new FleetRun(
                    new Fleet.Settings(
                        pods,
                        Duration.ofMillis(applyMillis),
                        maxParallel,
                        operator.javaHome(),
                        operator.jar(),
                        workDir.toAbsolutePath()),
                    out,
                    ownClientsUpTo)
                .run());
      }
      runsBySize.add(runsOfSize);
    }
    new FleetTable(runsBySize).print(out);
    long incomplete =
        runsBySize.stream().flatMap(List::stream).filter(f -> !f.everySidecarBack()).count();
    if (incomplete > 0) {
      out.printf(
          "hotpatch-fleet-bench: in %d run(s) not every sidecar came back within %d s of the"
              + " operator's restart (see the table): give the machine more cores, or run fewer"
              + " pods%n",
          incomplete, FleetRun.RECONNECT_WAIT.toSeconds());
      return 1;
    }
    return 0;
  }
}
