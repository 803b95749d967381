package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.BundleManifest;
import io.hotpatch.core.BundleWriter;
import io.hotpatch.core.Sha256;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * {@code hotpatch manifests}: the ConfigMap and HotPatch for a bundle, byte for byte reproducible,
 * and its refusals.
 */
class ManifestsCommandTest {
  @TempDir Path dir;

  @Test
  void theSameBundleAndOptionsGiveTheSameBytesWithTheBundleAndItsSha256() throws Exception {
    byte[] bundle = SampleBuilds.priceCalculatorBundle(SampleVersion.V2_HOT_FIX);
    Path jar = Files.write(dir.resolve("fix.jar"), bundle);
    String[] args = {
      "manifests",
      jar.toString(),
      "-n",
      "shop",
      "--name",
      "fix-price",
      "-l",
      "tier=web,app=checkout",
      "--mode",
      "HotOnly",
      "--canary",
      "1",
      "--soak",
      "30",
      "-c",
      "app"
    };

    CliRun first = CliRun.of(args);
    CliRun toFile = CliRun.of(append(args, "--out", dir.resolve("fix.yaml").toString()));

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(CliRun.of(args).out()).isEqualTo(first.out());
    assertThat(toFile.exitCode()).as(toFile.toString()).isZero();
    assertThat(Files.readString(dir.resolve("fix.yaml"))).isEqualTo(first.out());
    assertThat(first.out())
        .contains(
            "kind: ConfigMap\nmetadata:\n  name: \"fix-price-bundle\"\n  namespace: \"shop\"\nbinaryData:\n  bundle.jar: \""
                + Base64.getEncoder().encodeToString(bundle)
                + "\"\n---\n",
            "    matchLabels:\n      \"app\": \"checkout\"\n      \"tier\": \"web\"\n  containerName: \"app\"\n",
            "      name: \"fix-price-bundle\"\n      key: \"bundle.jar\"\n    sha256: \""
                + Sha256.hex(bundle)
                + "\"\n",
            "    mode: \"HotOnly\"\n    canary:\n      pods: 1\n      soakSeconds: 30\n");
  }

  @Test
  void badOptionsAreUsageErrorsThatSayWhatToPass() throws Exception {
    Path jar =
        Files.write(
            dir.resolve("fix.jar"), SampleBuilds.priceCalculatorBundle(SampleVersion.V2_HOT_FIX));

    CliRun selector =
        CliRun.of("manifests", jar.toString(), "-n", "shop", "--name", "fix", "-l", "app");
    CliRun name =
        CliRun.of(
            "manifests", jar.toString(), "-n", "shop", "--name", "Fix_Price", "-l", "app=checkout");
    CliRun mode =
        CliRun.of(
            "manifests",
            jar.toString(),
            "-n",
            "shop",
            "--name",
            "fix",
            "-l",
            "app=x",
            "--mode",
            "Fast");
    CliRun canary =
        CliRun.of(
            "manifests",
            jar.toString(),
            "-n",
            "shop",
            "--name",
            "fix",
            "-l",
            "app=x",
            "--canary",
            "one");

    for (CliRun run : new CliRun[] {selector, name, mode, canary}) {
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    }
    selector.assertOneLineError(
        "--selector 'app' is not a list of KEY=VALUE labels: pass, for example, -l app=checkout");
    name.assertOneLineError("name 'Fix_Price' is not valid for Kubernetes");
    mode.assertOneLineError("mode 'Fast' is unknown: use one of [Auto, HotOnly, RestartOnly]");
    canary.assertOneLineError("--canary 'one' is not a whole number");
  }

  @Test
  void aBundleLargerThanAConfigMapHoldsIsRefusedNamingTheLimit() throws Exception {
    Map<String, byte[]> classes = new TreeMap<>();
    Random random = new Random(1);
    for (int i = 0; i < 24; i++) {
      classes.put("big.C" + i, classWithConstant("big/C" + i, random));
    }
    byte[] bundle = BundleWriter.write(classes, BundleManifest.empty());
    assertThat(bundle.length).isGreaterThan(1 << 20);
    Path jar = Files.write(dir.resolve("big.jar"), bundle);

    CliRun run =
        CliRun.of("manifests", jar.toString(), "-n", "shop", "--name", "big", "-l", "app=checkout");

    assertThat(run.exitCode()).isEqualTo(1);
    run.assertOneLineError("more than the 1044480 a ConfigMap holds (1 MiB");
    assertThat(run.out()).isEmpty();
  }

  /** A class whose only field holds a random string constant, which deflate cannot shrink much. */
  private static byte[] classWithConstant(String internalName, Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 60000; i++) {
      text.append((char) (33 + random.nextInt(90)));
    }
    ClassWriter writer = new ClassWriter(0);
    writer.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        internalName,
        null,
        "java/lang/Object",
        null);
    writer
        .visitField(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL,
            "TEXT",
            "Ljava/lang/String;",
            null,
            text.toString())
        .visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  private static String[] append(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
