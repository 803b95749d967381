package io.hotpatch.bench.hostile;

import io.hotpatch.bench.OperatorOptions;
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
 * {@code hotpatch-attack-connections}: a flood of unfinished TLS connections against the built
 * operator.
 */
@Command(
    name = "hotpatch-attack-connections",
    mixinStandardHelpOptions = true,
    version = "hotpatch-attack-connections 0.1.0",
    sortOptions = false,
    description =
        "Runs the built operator as the chart does (prod profile, -Xmx332m) against the mock API server,"
            + " opens that many TLS connections that never finish their request, and prints the operator's file"
            + " descriptors and memory, how many connections it closed and when, and whether a good sidecar was served.")
public final class AttackConnections implements Callable<Integer> {
  @Option(
      names = "--connections",
      defaultValue = "20000",
      paramLabel = "N",
      description = "Unfinished connections to open (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description = "The operator's connection cap (default: the chart's, connections.max).")
  Integer maxConnections;

  @Option(
      names = "--idle-timeout-seconds",
      paramLabel = "S",
      description =
          "The operator's idle timeout (default: the chart's, connections.idleTimeoutSeconds).")
  Integer idleTimeoutSeconds;

  @Mixin OperatorOptions operator = new OperatorOptions();

  @Option(
      names = "--work-dir",
      defaultValue = "target/attack-connections",
      paramLabel = "DIR",
      description = "The operator's log and certificates (default: ${DEFAULT-VALUE}).")
  Path workDir;

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new AttackConnections())
            .setExecutionExceptionHandler(
                (e, command, parsed) -> {
                  command.getErr().println("hotpatch-attack-connections: " + e.getMessage());
                  return 1;
                })
            .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> settings = new ArrayList<>();
    if (maxConnections != null) {
      settings.add("quarkus.http.limits.max-connections=" + maxConnections);
    }
    if (idleTimeoutSeconds != null) {
      settings.add("quarkus.http.idle-timeout=" + idleTimeoutSeconds + "s");
    }
    Duration patience =
        Duration.ofSeconds((idleTimeoutSeconds == null ? 75 : idleTimeoutSeconds) + 120L);
    System.out.printf(
        "connection flood: operator %s on %s, settings %s%n",
        operator.jar(),
        operator.javaHome(),
        settings.isEmpty() ? "as the chart's defaults" : settings);
    try (HostileRig rig =
        HostileRig.start(operator.javaHome(), operator.jar(), workDir.toAbsolutePath(), settings)) {
      new FloodRun(rig, System.out).run(connections, patience).print(System.out);
    }
    return 0;
  }
}
