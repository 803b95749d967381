package io.hotpatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.Sha256;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup bundles patch JDK classes only from a file the sidecar named *.jdk.jar. */
class StartupBundlesTest {
  @TempDir Path dir;

  @Test
  void skipsAJdkClassBundleUnlessItsFileIsNamedForIt() throws IOException {
    byte[] jar =
        new ClassFiles.BundleBuilder().plain("java.lang.Object", ClassFiles.of(Object.class)).jar();
    String sha = Sha256.hex(jar);
    File plain = Files.write(dir.resolve("0001-" + sha + ".jar"), jar).toFile();
    File allowed = Files.write(dir.resolve("0001-" + sha + ".jdk.jar"), jar).toFile();
    PatchRegistry registry = new PatchRegistry();

    assertThat(StartupBundles.register(plain, registry))
        .startsWith(
            "startup bundle skipped: "
                + plain
                + ": bundle patches java.lang.Object, a class of the JDK")
        .endsWith("(at JVM start: name the file *.jdk.jar)");
    assertThat(registry.patches()).isEmpty();

    assertThat(StartupBundles.register(allowed, registry)).isNull();
    assertThat(registry.byId(sha)).isNotNull();
  }
}
