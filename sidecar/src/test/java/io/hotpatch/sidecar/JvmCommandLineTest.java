package io.hotpatch.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading a JVM's main class, jar or module and its options from its command line. */
class JvmCommandLineTest {
  private static final Map<String, String> FILES =
      Map.of(
          "/app/jvm.options", "-XX:+DisableAttachMechanism # set by ops\n'-Dgreeting=hello world'",
          "main-class", "  shop.Checkout\n",
          "vm.options", "-XX:-EnableDynamicAgentLoading");

  @Test
  void expandsArgumentFilesAndVmOptionFilesTheProcessNames() {
    JvmCommandLine line =
        parse(
            List.of(
                "java",
                "-XX:VMOptionsFile=vm.options",
                "@/app/jvm.options",
                "@missing",
                "@main-class",
                "@app-arg"));

    assertThat(line.options())
        .containsExactly(
            "-XX:VMOptionsFile=vm.options",
            "-XX:-EnableDynamicAgentLoading",
            "-XX:+DisableAttachMechanism",
            "-Dgreeting=hello world",
            "@missing");
    assertThat(line.main()).isEqualTo("shop.Checkout");
  }

  @Test
  void mainClassFollowsOptionsAndOptionValues() {
    JvmCommandLine line =
        parse(List.of("java", "-Xmx64m", "-cp", "a.jar:b.jar", "shop.Checkout", "8080", "-Xrs"));

    assertThat(line.main()).isEqualTo("shop.Checkout");
    assertThat(line.options()).containsExactly("-Xmx64m", "-cp", "a.jar:b.jar");
  }

  @Test
  void jarAndModuleAreWhatRuns() {
    assertThat(parse(List.of("java", "-jar", "/app/app.jar", "x")).main())
        .isEqualTo("/app/app.jar");
    assertThat(parse(List.of("java", "-p", "mods", "-m", "app/app.Main")).main())
        .isEqualTo("app/app.Main");
    assertThat(parse(List.of("java", "--module=app/app.Main")).main()).isEqualTo("app/app.Main");
  }

  @Test
  void environmentOptionsSurroundTheCommandLineAndTheLastSettingWins() {
    JvmCommandLine line = parse(List.of("java", "-XX:+DisableAttachMechanism", "Main"));
    Map<String, String> env =
        Map.of(
            "JAVA_TOOL_OPTIONS", "-XX:-DisableAttachMechanism -Xrs",
            "_JAVA_OPTIONS", " -XX:-EnableDynamicAgentLoading ");

    List<String> options = line.effectiveOptions(env);

    assertThat(options)
        .containsExactly(
            "-XX:-DisableAttachMechanism",
            "-Xrs",
            "-XX:+DisableAttachMechanism",
            "-XX:-EnableDynamicAgentLoading");
    assertThat(JvmCommandLine.booleanFlag(options, "DisableAttachMechanism")).contains(true);
    assertThat(JvmCommandLine.booleanFlag(options, "EnableDynamicAgentLoading")).contains(false);
    assertThat(JvmCommandLine.booleanFlag(options, "UsePerfData")).isEqualTo(Optional.empty());
  }

  private static JvmCommandLine parse(List<String> argv) {
    return JvmCommandLine.parse(argv, path -> Optional.ofNullable(FILES.get(path)));
  }
}
