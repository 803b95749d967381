package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.AGENT_JAR;
import static io.hotpatch.testkit.AgentTargets.price;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.AgentVersion;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.testkit.AgentTargets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two builds of the agent and one JVM: the JVM keeps the first agent's classes for its life, so a
 * newer jar offered later must be refused, in one line that says what to do, never run as the old
 * code.
 */
class AgentVersionIT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = Path.of("target/it-agent-version").toAbsolutePath();
  static final String OTHER_VERSION = "9.9.9-other+build";

  static Path otherAgent;
  static Path fix;
  static String version;

  @BeforeAll
  static void buildTwoAgents() throws IOException {
    version = AgentVersion.ofJar(AGENT_JAR.toFile());
    otherAgent = withVersion(AGENT_JAR, WORK.resolve("hotpatch-agent-other.jar"), OTHER_VERSION);
    Map<String, byte[]> v1 = AgentTargets.sample(SampleVersion.V1_BUGGY, 17);
    fix = AgentTargets.bundle(v1, AgentTargets.sample(SampleVersion.V2_HOT_FIX, 17), WORK, "fix");
  }

  @ParameterizedTest(name = "target on Java {0}")
  @ValueSource(ints = {17, 25})
  void refusesANewerAgentJarWhileTheOlderOneRunsAndReportsTheRunningVersion(int feature)
      throws Exception {
    Path app =
        AgentTargets.jar(
            AgentTargets.sample(SampleVersion.V1_BUGGY, 17),
            WORK.resolve("app-" + feature),
            "checkout.jar");
    AgentClient newer = new AgentClient(otherAgent);
    try (TargetJvm target = AgentTargets.target(feature, app).start()) {
      assertThat(CLIENT.status(target.pid()).getAgentVersion())
          .isEqualTo(version)
          .startsWith("0.1.0-SNAPSHOT+");

      PatchResult refused = newer.apply(target.pid(), fix, null);

      assertThat(refused.getState()).isEqualTo(ResultState.FAILED);
      assertThat(refused.getMessage())
          .isEqualTo(
              "this JVM already runs hotpatch agent "
                  + version
                  + ", so the offered agent "
                  + OTHER_VERSION
                  + " cannot load beside it and nothing was done: use the hotpatch "
                  + version
                  + " attacher (CLI or sidecar) for this JVM, or restart the JVM to run "
                  + OTHER_VERSION);
      assertThat(refused.getAgentVersion()).isEqualTo(version);
      assertThat(price(target)).isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
      assertThat(newer.status(target.pid()).getAgentVersion()).isEqualTo(version);
      PatchResult applied = CLIENT.apply(target.pid(), fix, null);
      assertThat(applied.getState()).isEqualTo(ResultState.APPLIED);
      assertThat(applied.getAgentVersion()).isEqualTo(version);
    }
  }

  /** A copy of the agent jar that names another version: a second build of the agent. */
  private static Path withVersion(Path agent, Path copy, String newVersion) throws IOException {
    Files.createDirectories(copy.getParent());
    try (ZipFile in = new ZipFile(agent.toFile());
        OutputStream file = Files.newOutputStream(copy);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        out.putNextEntry(new ZipEntry(entry.getName()));
        if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
          Manifest manifest = new Manifest(in.getInputStream(entry));
          manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, newVersion);
          manifest.write(out);
        } else {
          try (InputStream data = in.getInputStream(entry)) {
            data.transferTo(out);
          }
        }
        out.closeEntry();
      }
    }
    assertThat(AgentVersion.ofJar(copy.toFile())).isEqualTo(newVersion);
    return copy;
  }
}
