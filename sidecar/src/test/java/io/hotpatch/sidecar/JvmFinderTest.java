package io.hotpatch.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpatch.sidecar.AttachFailure.Reason;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding JVMs in a fake /proc: by libjvm or command, uid, mount namespace and Java version. */
class JvmFinderTest {
  private static final String JVM_MAPS =
      "7f00-7f01 r-xp 00000000 08:01 42 /usr/lib/jvm/java-17/lib/server/libjvm.so\n";

  @TempDir Path procRoot;
  private JvmFinder finder;

  @BeforeEach
  void fakeProcesses() {
    FakeProc proc = new FakeProc(procRoot);
    proc.process(
        10, 0, "1", JVM_MAPS, "java", "-XX:-UsePerfData", "-cp", "app.jar", "shop.Checkout", "80");
    proc.process(20, 0, "1", "7f00-7f01 r-xp 00000000 08:01 7 /usr/bin/sleep\n", "sleep", "60");
    proc.process(30, 1000, "2", null, "/opt/jdk/bin/java", "-jar", "/app/app.jar");
    proc.javaHome(30, "/opt/jdk", "25.0.1");
    proc.process(40, 0, "1", JVM_MAPS, "java", "Self");
    proc.self(40);
    finder = new JvmFinder(proc.procFs(), () -> 40);
  }

  @Test
  void findsJvmsByLibjvmOrByCommandWhenMapsIsUnreadable() {
    assertThat(finder.findAll())
        .containsExactly(
            new JvmProcess(
                10,
                0,
                0,
                java.util.List.of(
                    "java", "-XX:-UsePerfData", "-cp", "app.jar", "shop.Checkout", "80"),
                "shop.Checkout",
                "",
                false),
            new JvmProcess(
                30,
                1000,
                1000,
                java.util.List.of("/opt/jdk/bin/java", "-jar", "/app/app.jar"),
                "/app/app.jar",
                "25.0.1",
                true));
  }

  @Test
  void namesMissingProcessesAndNonJvms() {
    assertThatThrownBy(() -> finder.find(99))
        .isInstanceOfSatisfying(
            AttachFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.NO_SUCH_PROCESS))
        .hasMessage("no process with pid 99: check the pid with `hotpatch jvms`");
    assertThatThrownBy(() -> finder.find(20))
        .isInstanceOfSatisfying(
            AttachFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.NOT_A_JVM))
        .hasMessageContaining("process 20 is not a JVM (sleep 60)");
  }
}
