package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.SampleBuilds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JAVA_TOOL_OPTIONS value the webhook injects never stops a JVM from starting: real JVMs (Java
 * 11 where installed, the build's Java 17, Temurin 25) run `java -version` and a tiny main with
 * exactly that value, the real agent jar at a temporary path in place of
 * /hotpatch/agent/hotpatch-agent.jar and an empty bundles folder, and must exit 0 with nothing on
 * stderr but the JVM's own "Picked up" line; the JDK's own tools (jcmd, keytool, jps) that pick the
 * same value up run without the agent.
 */
class JavaToolOptionsIT {
  private static final String PICKED_UP = "Picked up JAVA_TOOL_OPTIONS: ";
  private static final String MAIN =
      """
      public class Main {
        public static void main(String[] args) throws Exception {
          Class.forName("io.hotpatch.agent.HotPatchAgent", false, ClassLoader.getSystemClassLoader());
          String dynamic;
          try {
            dynamic = java.lang.management.ManagementFactory
                .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .getVMOption("EnableDynamicAgentLoading").getValue();
          } catch (IllegalArgumentException unknownBeforeJdk21) {
            dynamic = "unknown";
          }
          System.out.println("main ran; agent on class path; EnableDynamicAgentLoading=" + dynamic);
        }
      }
      """;

  @TempDir static Path work;
  private static Path agentJar;
  private static Path bundles;
  private static Path mainJar;

  static Stream<Integer> javaFeatures() {
    return Stream.of(11, 17, 25);
  }

  @BeforeAll
  static void prepare() throws IOException {
    Path built =
        Path.of(System.getProperty("hotpatch.agent.jar", "../agent/target/hotpatch-agent.jar"));
    if (!Files.isRegularFile(built)) {
      built = Path.of("..", "agent", "target", "hotpatch-agent.jar");
    }
    assumeTrue(
        Files.isRegularFile(built),
        "Skipped: no agent jar at "
            + built.toAbsolutePath()
            + "; build it first with `mvn -o install -pl agent -DskipTests`");
    agentJar =
        Files.copy(
            built,
            Files.createDirectories(work.resolve("shared/agent")).resolve("hotpatch-agent.jar"));
    bundles = Files.createDirectories(work.resolve("shared/bundles"));
    mainJar =
        SampleBuilds.writeJar(
            SampleBuilds.compile(Map.of("Main", MAIN), 8), work.resolve("main.jar"));
  }

  @ParameterizedTest(name = "Java {0}")
  @MethodSource("javaFeatures")
  void injectedValueStartsJavaVersionAndAMainWithTheAgent(int feature) throws Exception {
    Path javaHome = javaHome(feature);
    String value = injectedValue(null);
    assertThat(value).isEqualTo(JavaToolOptions.FLAGS);
    String local = localPaths(value);

    Run version = run(javaHome, local, "-version");
    assertThat(version.exitCode())
        .as("java -version exit code; stderr: %s", version.stderr())
        .isZero();
    assertThat(version.stderr()).as("java -version output").first().isEqualTo(PICKED_UP + local);
    assertThat(version.stderr().subList(1, version.stderr().size()))
        .as("java -version output after \"Picked up\"")
        .isNotEmpty()
        .noneMatch(line -> line.matches("(?i).*(warn|error|unrecog).*"));

    Run main = run(javaHome, local, "-cp", mainJar.toString(), "Main");
    assertThat(main.exitCode()).as("tiny main exit code; stderr: %s", main.stderr()).isZero();
    assertThat(main.stderr()).as("stderr of the tiny main").containsExactly(PICKED_UP + local);
    // The flag exists since JDK 9 (JEP 451's release note); only Java 8 would answer "unknown".
    assertThat(main.stdout())
        .containsExactly("main ran; agent on class path; EnableDynamicAgentLoading=true");

    // A JVM that does not know the -XX flag (JDK 8): IgnoreUnrecognizedVMOptions, placed first,
    // lets it start.
    String unknownFlag =
        local.replace("EnableDynamicAgentLoading", "EnableDynamicAgentLoadingUnknownHere");
    Run older = run(javaHome, unknownFlag, "-cp", mainJar.toString(), "Main");
    assertThat(older.exitCode())
        .as("exit code with an unknown -XX flag; stderr: %s", older.stderr())
        .isZero();
    assertThat(older.stderr()).containsExactly(PICKED_UP + unknownFlag);
    Run withoutIgnore =
        run(javaHome, unknownFlag.replace("-XX:+IgnoreUnrecognizedVMOptions ", ""), "-version");
    assertThat(withoutIgnore.exitCode())
        .as("the same without IgnoreUnrecognizedVMOptions fails")
        .isNotZero();
    System.out.printf(
        "%s: java -version and the tiny main exit 0 with JAVA_TOOL_OPTIONS=%s%n", javaHome, local);
  }

  @ParameterizedTest(name = "Java {0}")
  @MethodSource("javaFeatures")
  void appendedToTheUsersValueTheJvmStillStarts(int feature) throws Exception {
    Path javaHome = javaHome(feature);
    String value = localPaths(injectedValue("-Xss2m -Dshop.region=eu"));
    assertThat(value).startsWith("-Xss2m -Dshop.region=eu -XX:+IgnoreUnrecognizedVMOptions");
    Run main = run(javaHome, value, "-cp", mainJar.toString(), "Main");
    assertThat(main.exitCode()).as("exit code; stderr: %s", main.stderr()).isZero();
    assertThat(main.stderr()).containsExactly(PICKED_UP + value);
  }

  @ParameterizedTest(name = "Java {0}")
  @MethodSource("javaFeatures")
  void jdkToolsOfTheContainerRunWithoutTheAgent(int feature) throws Exception {
    Path javaHome = javaHome(feature);
    // A bundle the agent cannot read: an agent that starts says so on stderr, one "[hotpatch]"
    // line.
    Path broken = Files.createDirectories(work.resolve("broken-bundles-" + javaHome.getFileName()));
    Files.writeString(broken.resolve("broken.jar"), "not a jar");
    String value = localPaths(injectedValue(null)).replace("=" + bundles, "=" + broken);

    Run app = run(javaHome, value, "-cp", mainJar.toString(), "Main");
    assertThat(app.stderr())
        .as("the application starts the agent")
        .anyMatch(line -> line.startsWith("[hotpatch] "));
    for (String[] tool : new String[][] {{"jcmd", "-l"}, {"keytool", "-help"}, {"jps"}}) {
      Run run = runTool(javaHome, value, tool);
      assertThat(run.exitCode()).as("%s exit code; stderr: %s", tool[0], run.stderr()).isZero();
      assertThat(run.stderr()).as("%s's stderr", tool[0]).first().isEqualTo(PICKED_UP + value);
      assertThat(run.stdout())
          .as("%s's stdout", tool[0])
          .noneMatch(line -> line.contains("[hotpatch]"));
      assertThat(run.stderr())
          .as("%s's stderr", tool[0])
          .noneMatch(line -> line.contains("hotpatch]"));
    }
  }

  private static Path javaHome(int feature) {
    Optional<Path> home = JavaHomes.find(feature);
    assumeTrue(home.isPresent(), JavaHomes.missing(feature));
    return home.get();
  }

  /**
   * JAVA_TOOL_OPTIONS of the target container after the webhook's patch, for a pod with the given
   * value.
   */
  private static String injectedValue(String existing) throws Exception {
    String env =
        existing == null
            ? ""
            : ",\"env\":[{\"name\":\"JAVA_TOOL_OPTIONS\",\"value\":\"" + existing + "\"}]";
    JsonNode pod =
        Reviews.MAPPER.readTree(
            "{\"metadata\":{\"name\":\"p\",\"namespace\":\"shop\",\"labels\":"
                + "{\"hotpatch.io/inject\":\"true\"}},\"spec\":{\"securityContext\":{\"runAsUser\":1000,\"runAsGroup\":1000},"
                + "\"containers\":[{\"name\":\"app\",\"image\":\"shop:1\""
                + env
                + "}]}}");
    JsonNode patched =
        Reviews.apply(
            new PodInjector(Reviews.settings()).inject("CREATE", "shop", pod).patch(), pod);
    for (JsonNode entry : patched.at("/spec/containers/0/env")) {
      if (entry.path("name").asText().equals(JavaToolOptions.NAME)) {
        return entry.path("value").asText();
      }
    }
    throw new AssertionError("no JAVA_TOOL_OPTIONS in " + patched);
  }

  private static String localPaths(String value) {
    return value
        .replace(JavaToolOptions.AGENT_JAR, agentJar.toString())
        .replace("=" + JavaToolOptions.BUNDLES_DIR, "=" + bundles);
  }

  /** One finished java process: exit code and its output lines. */
  private record Run(int exitCode, List<String> stdout, List<String> stderr) {}

  private static Run run(Path javaHome, String javaToolOptions, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(List.of(args));
    return runTool(javaHome, javaToolOptions, command.toArray(new String[0]));
  }

  /** Runs {@code bin/<tool> args...} of the JDK with the given JAVA_TOOL_OPTIONS. */
  private static Run runTool(Path javaHome, String javaToolOptions, String... toolAndArgs)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(toolAndArgs));
    command.set(0, javaHome.resolve("bin").resolve(toolAndArgs[0]).toString());
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = builder.environment();
    env.remove("JDK_JAVA_OPTIONS");
    env.remove("_JAVA_OPTIONS");
    env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within 120 s");
    }
    return new Run(
        process.exitValue(),
        Files.readAllLines(out, StandardCharsets.UTF_8),
        Files.readAllLines(err, StandardCharsets.UTF_8));
  }
}
