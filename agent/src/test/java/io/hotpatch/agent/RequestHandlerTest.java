package io.hotpatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.agent.fixture.Greeter;
import io.hotpatch.core.AgentRequest;
import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.WireFormat;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's request handling: arguments, bundle errors in one line, status and the reply channel.
 */
class RequestHandlerTest {
  private static final String REPLY = WireFormat.newReplyKey(System.currentTimeMillis(), 42);
  private static final byte[] V1 = ClassFiles.of(Greeter.class);

  private final PatchRegistry registry = new PatchRegistry();
  private final RequestHandler handler =
      new RequestHandler(
          new PatchEngine(new TestingJvm().load(Greeter.class), registry),
          registry,
          false,
          "1.0+a");

  @TempDir Path dir;

  @Test
  void answersUnreadableArgumentsWithAFailure() {
    PatchResult result = PatchResult.fromProperties(handler.handle("op=frobnicate&reply=" + REPLY));

    assertThat(result.getState()).isEqualTo(ResultState.FAILED);
    assertThat(result.getMessage()).contains("unknown agent operation 'frobnicate'");
  }

  @Test
  void refusesABundleWhoseSha256IsNotThePinnedOne() throws IOException {
    String bundle = bundle();

    PatchResult result = call(AgentRequest.Operation.APPLY, bundle, "00ff", null);

    assertThat(result.getState()).isEqualTo(ResultState.PRECONDITION_FAILED);
    assertThat(result.getMessage()).contains("does not match the pinned 00ff");
    assertThat(registry.patches()).isEmpty();
  }

  @Test
  void refusesClassFilesNewerThanThisJvmReadsAndChangesNothing() throws IOException {
    int feature = ClassFileLevel.runningFeature();
    byte[] forNextJava = ClassFiles.newerBy(ClassFiles.withString(V1, "hello", "hi"), 1);

    PatchResult result = call(AgentRequest.Operation.APPLY, bundle(forNextJava), null, null);

    assertThat(result.getState()).isEqualTo(ResultState.FAILED);
    assertThat(result.getMessage())
        .isEqualTo(
            Greeter.class.getName()
                + " is compiled for Java "
                + (feature + 1)
                + " (class file version "
                + (45 + feature)
                + "), this JVM runs Java "
                + feature
                + " and reads up to "
                + (44 + feature)
                + ": compile the fix with --release "
                + feature
                + " (or the release the application is built for) and rebuild the bundle; nothing was changed");
    assertThat(registry.patches()).isEmpty();
  }

  @Test
  void refusesJdkClassesUnlessTheRequestAllowsThemAndTheAgentsOwnAlways() throws IOException {
    String jdk =
        write(
            "jdk.jar",
            new ClassFiles.BundleBuilder().plain("java.lang.Object", ClassFiles.of(Object.class)));
    String agent =
        write(
            "agent.jar",
            new ClassFiles.BundleBuilder()
                .plain(PatchEngine.class.getName(), ClassFiles.of(PatchEngine.class)));

    PatchResult refused = call(AgentRequest.Operation.APPLY, jdk, null, null);
    PatchResult agentRefused =
        PatchResult.fromProperties(
            handler.handle(
                new AgentRequest(AgentRequest.Operation.APPLY, agent, null, null, REPLY, true)
                    .encode()));

    assertThat(refused.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
    assertThat(refused.getMessage())
        .startsWith("bundle patches java.lang.Object, a class of the JDK")
        .endsWith("; nothing was changed");
    assertThat(agentRefused.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
    assertThat(agentRefused.getMessage())
        .contains("io.hotpatch.agent.PatchEngine, a class of the hotpatch agent");
    assertThat(registry.patches()).isEmpty();

    PatchResult allowed =
        PatchResult.fromProperties(
            handler.handle(
                new AgentRequest(AgentRequest.Operation.APPLY, jdk, null, null, REPLY, true)
                    .encode()));

    assertThat(allowed.getState()).as(allowed.getMessage()).isEqualTo(ResultState.APPLIED);
  }

  @Test
  void reportsAMissingBundleInOneLine() {
    PatchResult result =
        call(AgentRequest.Operation.CHECK, dir.resolve("missing.jar").toString(), null, null);

    assertThat(result.getState()).isEqualTo(ResultState.FAILED);
    assertThat(result.getMessage()).contains("does not exist").doesNotContain("\n");
  }

  @Test
  void listsAppliedPatchesInTheStatus() throws IOException {
    PatchResult applied = call(AgentRequest.Operation.APPLY, bundle(), null, null);

    AgentStatus status =
        AgentStatus.fromProperties(
            handler.handle(
                new AgentRequest(AgentRequest.Operation.STATUS, null, null, null, REPLY).encode()));

    assertThat(status.isLoadedAtStartup()).isFalse();
    assertThat(status.getJvmVersion()).isEqualTo(System.getProperty("java.version"));
    assertThat(status.getPatches())
        .singleElement()
        .satisfies(
            patch -> {
              assertThat(patch.getId()).isEqualTo(applied.getPatchId());
              assertThat(patch.getMethod()).isEqualTo(PatchMethod.HOT);
              assertThat(patch.getClassNames()).containsExactly(Greeter.class.getName());
              assertThat(patch.getState()).isEqualTo(AppliedPatch.State.APPLIED);
            });
  }

  @Test
  void refusesEveryChangeOfferedWithAnotherAgentVersionAndStillReportsItsOwn() throws IOException {
    String bundle = bundle();

    PatchResult refused =
        PatchResult.fromProperties(
            handler.handle(
                new AgentRequest(AgentRequest.Operation.APPLY, bundle, null, null, REPLY)
                    .withAgentVersion("1.0+b")
                    .encode()));
    AgentStatus status =
        AgentStatus.fromProperties(
            handler.handle(
                new AgentRequest(AgentRequest.Operation.STATUS, null, null, null, REPLY)
                    .withAgentVersion("1.0+b")
                    .encode()));

    assertThat(refused.getState()).isEqualTo(ResultState.FAILED);
    assertThat(refused.getMessage())
        .isEqualTo(
            "this JVM already runs hotpatch agent 1.0+a, so the offered agent 1.0+b"
                + " cannot load beside it and nothing was done: use the hotpatch 1.0+a attacher (CLI or sidecar) for this JVM,"
                + " or restart the JVM to run 1.0+b");
    assertThat(registry.patches()).isEmpty();
    assertThat(status.getAgentVersion()).isEqualTo("1.0+a");
    assertThat(call(AgentRequest.Operation.APPLY, bundle, null, null).getState())
        .isEqualTo(ResultState.APPLIED);
  }

  @Test
  void removesStaleRepliesButKeepsOneAConcurrentAttacherHasNotReadYet() {
    long now = System.currentTimeMillis();
    String stale = WireFormat.newReplyKey(now - WireFormat.REPLY_TTL_MILLIS - 1, 1);
    String unread = WireFormat.newReplyKey(now - 1_000, 2);
    System.setProperty(stale, "stale");
    System.setProperty(unread, "unread");
    System.setProperty(WireFormat.REPLY_PROPERTY_PREFIX + "garbage", "malformed");

    ReplyChannel.clearStale(now);
    ReplyChannel.write(REPLY, new Properties());

    assertThat(System.getProperties().stringPropertyNames())
        .filteredOn(key -> key.startsWith(WireFormat.REPLY_PROPERTY_PREFIX))
        .containsExactlyInAnyOrder(unread, REPLY);
    System.clearProperty(REPLY);
    System.clearProperty(unread);
  }

  private PatchResult call(
      AgentRequest.Operation operation, String bundle, String sha256, String patch) {
    return PatchResult.fromProperties(
        handler.handle(new AgentRequest(operation, bundle, sha256, patch, REPLY).encode()));
  }

  private String bundle() throws IOException {
    return bundle(ClassFiles.withString(V1, "hello", "hi"));
  }

  private String bundle(byte[] patched) throws IOException {
    return write(
        "bundle.jar", new ClassFiles.BundleBuilder().changed(Greeter.class.getName(), V1, patched));
  }

  private String write(String name, ClassFiles.BundleBuilder bundle) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new FileOutputStream(file.toFile())) {
      out.write(bundle.jar());
    }
    return file.toString();
  }
}
