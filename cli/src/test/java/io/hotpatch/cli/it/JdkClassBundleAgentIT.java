package io.hotpatch.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.cli.CliRun;
import io.hotpatch.core.BundleManifest;
import io.hotpatch.core.BundleWriter;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.testkit.TestJvmFlags;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A hand-made bundle that changes java.lang.String's code: the agent in a real JVM refuses it as
 * not hot-applicable, naming the JDK class, and redefines it only when the caller allows JDK
 * classes.
 */
class JdkClassBundleAgentIT {
  private static final Path WORK = Path.of("target/it-jdk-class").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theAgentRefusesToRedefineJavaLangStringUnlessJdkClassesAreAllowed() throws Exception {
    Files.createDirectories(WORK);
    Path app = SampleBuilds.sampleJar(SampleVersion.V1_BUGGY, WORK);
    Path bundle =
        Files.write(
            WORK.resolve("string.jar"),
            BundleWriter.write(
                Map.of("java.lang.String", withNopIn(stringClassFile(), "isEmpty")),
                BundleManifest.empty()));
    try (TargetJvm target =
        TargetJvm.builder()
            .javaHome(JavaHomes.current())
            .classpath(app)
            .jvmArgs(TestJvmFlags.get().toArray(String[]::new))
            .jvmArgs("-XX:+EnableDynamicAgentLoading")
            .start()) {
      String pid = Long.toString(target.pid());

      CliRun refused = CliRun.of("apply", "--pid", pid, bundle.toString(), "--json");

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
      JsonNode result = JSON.readTree(refused.out());
      assertThat(result.get("status").asText()).isEqualTo("NOT_HOT_APPLICABLE");
      assertThat(result.get("message").asText())
          .startsWith("bundle patches java.lang.String, a class of the JDK")
          .endsWith("; nothing was changed");
      assertThat(JSON.readTree(CliRun.of("status", "--pid", pid, "--json").out()).get("patches"))
          .isEmpty();

      CliRun allowed =
          CliRun.of("apply", "--pid", pid, bundle.toString(), "--allow-jdk-classes", "--json");

      assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
      assertThat(JSON.readTree(allowed.out()).get("status").asText()).isEqualTo("APPLIED");
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
    }
  }

  /** java.lang.String as the target (the same JDK as this test) runs it. */
  private static byte[] stringClassFile() throws Exception {
    try (InputStream in = String.class.getResourceAsStream("String.class")) {
      return in.readAllBytes();
    }
  }

  /** The class with a NOP at the start of one method: new code, same shape, so hot-applicable. */
  private static byte[] withNopIn(byte[] classFile, String method) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor visitor =
                super.visitMethod(access, name, descriptor, signature, exceptions);
            return !name.equals(method)
                ? visitor
                : new MethodVisitor(Opcodes.ASM9, visitor) {
                  @Override
                  public void visitCode() {
                    super.visitCode();
                    super.visitInsn(Opcodes.NOP);
                  }
                };
          }
        },
        0);
    return writer.toByteArray();
  }
}
