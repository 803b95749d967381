package io.hotpatch.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Runs the real helm binary that scripts/install-helm.sh installs against the chart under test. */
final class Helm {
  static final Path REPO_ROOT =
      Path.of(System.getProperty("hotpatch.repo.root", "..")).toAbsolutePath().normalize();
  static final Path CHART = REPO_ROOT.resolve("helm/hotpatch-operator");
  static final String RELEASE = "hp";
  static final String NAMESPACE = "hotpatch-system";

  private static final Map<List<String>, Rendered> RENDERS = new ConcurrentHashMap<>();
  private static Path binary;

  private Helm() {}

  /** What a helm (or installer) run printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs helm with the given arguments. */
  static Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    return exec(command);
  }

  /** helm template of the chart as release hp in hotpatch-system, with extra arguments. */
  static Result template(String... extraArgs) {
    List<String> args =
        new ArrayList<>(List.of("template", RELEASE, CHART.toString(), "--namespace", NAMESPACE));
    args.addAll(List.of(extraArgs));
    return run(args.toArray(String[]::new));
  }

  /** The parsed objects of a successful helm template run; each argument list renders once. */
  static Rendered render(String... extraArgs) {
    return RENDERS.computeIfAbsent(
        List.of(extraArgs),
        key -> {
          Result result = template(extraArgs);
          if (!result.ok()) {
            throw new AssertionError("helm template " + key + " failed: " + result.stderr().trim());
          }
          return Rendered.parse(result.stdout());
        });
  }

  /** Installs helm once through the repository's script and returns its path. */
  static synchronized Path binary() {
    if (binary == null) {
      Result install =
          exec(List.of("bash", REPO_ROOT.resolve("scripts/install-helm.sh").toString()));
      if (!install.ok()) {
        throw new AssertionError(
            "scripts/install-helm.sh failed (exit "
                + install.exitCode()
                + "): "
                + install.stderr().trim());
      }
      String[] lines = install.stdout().trim().split("\n");
      binary = Path.of(lines[lines.length - 1].trim());
    }
    return binary;
  }

  private static Result exec(List<String> command) {
    try {
      Path out = Files.createTempFile("helm-out", ".txt");
      Path err = Files.createTempFile("helm-err", ".txt");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .directory(REPO_ROOT.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // Keep helm away from the user's config, caches and clusters.
        Path home = REPO_ROOT.resolve("helm/target/helm-home");
        builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
        builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
        builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
        builder.environment().put("KUBECONFIG", home.resolve("no-kubeconfig").toString());
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new AssertionError(command + " did not finish within 3 minutes");
        }
        return new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }
}
