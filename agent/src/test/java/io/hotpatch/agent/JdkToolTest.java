package io.hotpatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which launcher commands are JDK tools the agent stays out of ({@code sun.java.command} as the
 * JDKs set it).
 */
class JdkToolTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdk.jcmd/sun.tools.jcmd.JCmd -l",
        "jdk.jcmd/sun.tools.jstack.JStack 42",
        "jdk.jcmd/sun.tools.jps.Jps",
        "jdk.jcmd/sun.tools.jinfo.JInfo -flags 42",
        "jdk.jcmd/sun.tools.jmap.JMap -histo 42",
        "java.base/sun.security.tools.keytool.Main -list",
        "jdk.compiler/com.sun.tools.javac.Main -help",
        "jdk.jartool/sun.tools.jar.Main tf a.jar",
        "jdk.jshell/jdk.internal.jshell.tool.JShellToolProvider",
        "jdk.jfr/jdk.jfr.internal.tool.Main summary x.jfr",
        "sun.tools.jstack.JStack 42",
        "com.sun.tools.javac.Main -version",
        "sun.security.tools.keytool.Main -help"
      })
  void skipsJdkTools(String command) {
    assertThat(JdkTool.isJdkTool(command)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/app/checkout.jar --port 8080",
        "shop.CheckoutServer 8080",
        "com.acme.shop/com.acme.shop.Main",
        "io.quarkus.bootstrap.runner.QuarkusEntryPoint",
        "org.springframework.boot.loader.launch.JarLauncher",
        "com.sun.enterprise.glassfish.bootstrap.ASMain",
        "",
        "   "
      })
  void runsInApplications(String command) {
    assertThat(JdkTool.isJdkTool(command)).isFalse();
    assertThat(JdkTool.isJdkTool(null)).isFalse();
  }
}
