package io.hotpatch.cli;

import io.hotpatch.core.BundleException;
import io.hotpatch.core.PatchManifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hotpatch manifests}: writes the ConfigMap and the HotPatch that deliver a bundle to a
 * cluster.
 */
@Command(
    name = "manifests",
    description = {
      "Write the two manifests that patch pods with a bundle: the ConfigMap holding it (binaryData) and the"
          + " HotPatch pinning its sha256, as one YAML stream for 'kubectl apply -f' or Git.",
      "The same bundle and options always give the same bytes. A bundle must fit a ConfigMap (1 MiB)."
    })
final class ManifestsCommand extends CliCommand {
  @Parameters(
      index = "0",
      paramLabel = "BUNDLE",
      description = "The bundle jar ('hotpatch diff --out' writes one).")
  Path bundle;

  @Option(
      names = {"-n", "--namespace"},
      required = true,
      paramLabel = "NAMESPACE",
      description = "Namespace of the pods, the ConfigMap and the HotPatch.")
  String namespace;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "NAME",
      description = "Name of the HotPatch; the ConfigMap is NAME-bundle.")
  String name;

  @Option(
      names = {"-l", "--selector"},
      required = true,
      paramLabel = "KEY=VALUE[,KEY=VALUE]",
      description = "Labels the pods to patch carry, as kubectl's -l (equality only).")
  String selector;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "Auto (operator default), HotOnly or RestartOnly.")
  String mode;

  @Option(
      names = "--canary",
      paramLabel = "PODS",
      description = "Pods patched first (default 0: no canary).")
  int canaryPods;

  @Option(
      names = "--soak",
      paramLabel = "SECONDS",
      description = "Seconds the canary must stay healthy (default 0).")
  int soakSeconds;

  @Option(
      names = {"-c", "--container"},
      paramLabel = "NAME",
      description = "Container whose JVM gets the patch (needed when a pod has several).")
  String container;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write the YAML here instead of stdout.")
  Path out;

  @Override
  public Integer call() {
    ApplyCommand.verifiedSha256(bundle, null);
    String yaml;
    try {
      yaml =
          new PatchManifests(
                  namespace, name, labels(selector), mode, canaryPods, soakSeconds, container)
              .yaml(Files.readAllBytes(bundle), bundle.getFileName().toString());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    } catch (BundleException e) {
      throw CliException.failure(e.getMessage());
    } catch (IOException e) {
      throw CliException.failure(
          "cannot read "
              + bundle
              + " ("
              + e.getMessage()
              + "): check the path and its permissions");
    }
    if (out == null) {
      if (json) {
        printJson(Map.of("status", "WRITTEN", "yaml", yaml));
      } else {
        out().print(yaml);
        out().flush();
      }
      return 0;
    }
    try {
      Files.writeString(out, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.failure(
          "cannot write " + out + " (" + e.getMessage() + "): pass a writable --out path");
    }
    if (json) {
      printJson(Map.of("status", "WRITTEN", "file", out.toAbsolutePath().toString()));
    } else {
      say("wrote " + out + ": apply it with 'kubectl apply -f " + out + "'");
    }
    return 0;
  }

  /** {@code app=checkout,tier=web}, as kubectl's -l with equality only. */
  static Map<String, String> labels(String selector) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : selector.split(",", -1)) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair.strip() : pair.substring(0, equals).strip();
      String value = equals < 0 ? "" : pair.substring(equals + 1).replaceFirst("^=", "").strip();
      if (equals < 0 || key.isEmpty() || pair.contains("!=") || labels.put(key, value) != null) {
        throw CliException.usage(
            "--selector '"
                + selector
                + "' is not a list of KEY=VALUE labels: pass, for example,"
                + " -l app=checkout,tier=web (each key once)");
      }
    }
    return labels;
  }
}
