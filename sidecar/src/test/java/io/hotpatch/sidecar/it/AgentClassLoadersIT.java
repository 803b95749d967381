package io.hotpatch.sidecar.it;

import static io.hotpatch.testkit.AgentTargets.LOAD_THREADS;
import static io.hotpatch.testkit.AgentTargets.assertNoFailedRequests;
import static io.hotpatch.testkit.AgentTargets.assertQuietOutput;
import static io.hotpatch.testkit.AgentTargets.awaitAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.hotpatch.core.ClassResult;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PatchedClass;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.testkit.AgentTargets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One class in several class loaders (as in application servers): every matching copy is patched,
 * and a copy of another version is named, loader by loader, as not patched. Java 17 and Temurin 25;
 * patching every copy also on Java 11.
 */
class AgentClassLoadersIT {
  private static final AgentClient CLIENT = new AgentClient(AgentTargets.AGENT_JAR);

  static final Path WORK = Path.of("target/it-agent-loaders").toAbsolutePath();
  static final String GREETER = "plug.Greeter";
  static final String HOST_SOURCE =
      """
      package multi;

      import com.sun.net.httpserver.HttpServer;
      import java.net.InetAddress;
      import java.net.InetSocketAddress;
      import java.net.URL;
      import java.net.URLClassLoader;
      import java.nio.charset.StandardCharsets;
      import java.nio.file.Path;
      import java.util.ArrayList;
      import java.util.List;

      /** Loads plug.Greeter from each plugin jar in its own loader; GET /greet asks each one. */
      public final class PluginHost {
        public static void main(String[] args) throws Exception {
          List<ClassLoader> loaders = new ArrayList<>();
          for (int i = 1; i < args.length; i++) {
            URL[] jar = {Path.of(args[i]).toUri().toURL()};
            loaders.add(new URLClassLoader("plugin-" + i, jar, PluginHost.class.getClassLoader().getParent()));
          }
          for (ClassLoader loader : loaders) {
            loader.loadClass("plug.Greeter").getMethod("greet").invoke(null);
          }
          HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 64);
          server.createContext("/health", exchange -> respond(exchange, "ok"));
          server.createContext("/greet", exchange -> {
            StringBuilder out = new StringBuilder();
            try {
              for (ClassLoader loader : loaders) {
                out.append(out.length() == 0 ? "" : "|").append(loader.loadClass("plug.Greeter").getMethod("greet").invoke(null));
              }
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(e);
            }
            respond(exchange, out.toString());
          });
          server.start();
        }

        private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws java.io.IOException {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        }
      }
      """;

  static Path hostJar;
  static Path pluginV1;
  static Path pluginV1Copy;
  static Path pluginOther;
  static Path fix;

  @BeforeAll
  static void build() {
    hostJar =
        AgentTargets.jar(
            SampleBuilds.compile(
                Map.of("multi.PluginHost", HOST_SOURCE), SampleBuilds.TARGET_RELEASE),
            WORK,
            "host.jar");
    Map<String, byte[]> v1 = greeter("hello");
    pluginV1 = AgentTargets.jar(v1, WORK, "plugin-a.jar");
    pluginV1Copy = AgentTargets.jar(v1, WORK, "plugin-b.jar");
    pluginOther = AgentTargets.jar(greeter("hi"), WORK, "plugin-other.jar");
    fix = AgentTargets.bundle(v1, greeter("hello, patched"), WORK, "greeter-fix");
  }

  static Map<String, byte[]> greeter(String greeting) {
    return SampleBuilds.compile(
        Map.of(
            GREETER,
            "package plug; public final class Greeter { public static String greet() { return \""
                + greeting
                + "\"; } }"),
        SampleBuilds.TARGET_RELEASE);
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {11, 17, 25})
  void patchesEveryLoadersCopyAndRevertsThemAll(int jdk) throws Exception {
    try (TargetJvm target = host(jdk, pluginV1, pluginV1Copy);
        LoadGenerator load = LoadGenerator.start(target.uri("/greet"), LOAD_THREADS)) {
      load.awaitRequests(50);

      PatchResult applied = CLIENT.apply(target.pid(), fix, null);
      assertThat(applied.getState()).as(applied.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(applied.getClasses())
          .extracting(ClassResult::getState)
          .containsExactly(ResultState.APPLIED, ResultState.APPLIED);
      assertThat(applied.getClasses()).extracting(ClassResult::getLoader).doesNotHaveDuplicates();
      awaitAnswer(load, "hello, patched|hello, patched");

      assertThat(CLIENT.revert(target.pid(), applied.getPatchId()).getState())
          .isEqualTo(ResultState.REVERTED);
      awaitAnswer(load, "hello|hello");

      // A request calls copy A, then copy B: one that straddles the redefinition (a single
      // safepoint
      // for both copies) sees A before and B after it, so only those mixes may appear.
      assertThat(assertNoFailedRequests(load).distinctBodies())
          .contains("hello|hello", "hello, patched|hello, patched")
          .isSubsetOf(
              "hello|hello",
              "hello, patched|hello, patched",
              "hello|hello, patched",
              "hello, patched|hello");
      assertQuietOutput(target);
    }
  }

  @ParameterizedTest(name = "Java {0}")
  @ValueSource(ints = {17, 25})
  void patchesTheMatchingCopyAndNamesTheLoaderOfTheOther(int jdk) throws Exception {
    try (TargetJvm target = host(jdk, pluginV1, pluginOther);
        LoadGenerator load = LoadGenerator.start(target.uri("/greet"), LOAD_THREADS)) {
      load.awaitRequests(50);

      PatchResult applied = CLIENT.apply(target.pid(), fix, null);

      assertThat(applied.getState()).as(applied.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(applied.getMessage()).contains("1 copy left unpatched");
      assertThat(applied.getClasses())
          .filteredOn(c -> c.getState() == ResultState.PRECONDITION_FAILED)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.getLoader()).startsWith("plugin-2@");
                assertThat(c.getMessage())
                    .contains(GREETER, "plugin-2@", "not the version this patch was built for");
              });
      assertThat(CLIENT.status(target.pid()).getPatches())
          .singleElement()
          .satisfies(
              patch ->
                  assertThat(patch.getClasses())
                      .extracting(
                          c -> c.getLoader().substring(0, "plugin-1@".length()),
                          PatchedClass::getState)
                      .containsExactlyInAnyOrder(
                          tuple("plugin-1@", PatchedClass.State.PATCHED),
                          tuple("plugin-2@", PatchedClass.State.SKIPPED)));
      awaitAnswer(load, "hello, patched|hi");
      assertNoFailedRequests(load);
      assertQuietOutput(target);
    }
  }

  private static TargetJvm host(int jdk, Path... plugins) {
    String[] jars = new String[plugins.length];
    for (int i = 0; i < plugins.length; i++) {
      jars[i] = plugins[i].toString();
    }
    return AgentTargets.target(jdk, hostJar).mainClass("multi.PluginHost").appArgs(jars).start();
  }
}
