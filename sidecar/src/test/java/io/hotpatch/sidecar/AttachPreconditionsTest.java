package io.hotpatch.sidecar;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpatch.sidecar.AttachFailure.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attach preconditions: one-line errors for another UID, disabled attach and dynamic agent loading
 * off.
 */
class AttachPreconditionsTest {
  @TempDir Path procDir;

  @Test
  void anotherUidNeedsThatUidOrRoot() {
    AttachTarget target = target(List.of(), true);

    assertThatThrownBy(() -> AttachPreconditions.verify(target, 65534, 65534))
        .isInstanceOfSatisfying(AttachFailure.class, f -> reason(f, Reason.UID_MISMATCH))
        .hasMessage(
            "target 7 runs as uid 1000, this process as uid 65534: run as uid 1000 (e.g. sudo -u)"
                + " or as root");
    assertThatCode(() -> AttachPreconditions.verify(target, 0, 0)).doesNotThrowAnyException();
    assertThatCode(() -> AttachPreconditions.verify(target, 1000, 1000)).doesNotThrowAnyException();
  }

  @Test
  void theLastAttachFlagDecides() {
    assertThatThrownBy(
            () ->
                AttachPreconditions.verify(
                    target(List.of("-XX:+DisableAttachMechanism"), true), 0, 0))
        .isInstanceOfSatisfying(AttachFailure.class, f -> reason(f, Reason.ATTACH_DISABLED))
        .hasMessageContaining("-XX:+DisableAttachMechanism");
    assertThatCode(
            () ->
                AttachPreconditions.verify(
                    target(
                        List.of("-XX:+DisableAttachMechanism", "-XX:-DisableAttachMechanism"),
                        true),
                    0,
                    0))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                AttachPreconditions.verify(
                    target(List.of("-XX:-EnableDynamicAgentLoading"), true), 0, 0))
        .isInstanceOfSatisfying(
            AttachFailure.class, f -> reason(f, Reason.DYNAMIC_AGENT_LOADING_DISABLED))
        .hasMessageContaining("restart it with -XX:+EnableDynamicAgentLoading");
  }

  @Test
  void withoutSignalsOnlyAnOpenSocketWillDo() throws IOException {
    AttachTarget reduced = target(List.of("-Xrs"), true);
    assertThatThrownBy(() -> AttachPreconditions.verify(reduced, 0, 0))
        .isInstanceOfSatisfying(AttachFailure.class, f -> reason(f, Reason.SIGNALS_REDUCED))
        .hasMessageContaining("runs with -Xrs");
    assertThatThrownBy(() -> AttachPreconditions.verify(target(List.of(), false), 0, 0))
        .isInstanceOfSatisfying(AttachFailure.class, f -> reason(f, Reason.SIGNALS_REDUCED))
        .hasMessageContaining("does not handle SIGQUIT");

    Files.createDirectories(reduced.socket().getParent());
    Files.createFile(reduced.socket());
    assertThatCode(() -> AttachPreconditions.verify(reduced, 0, 0)).doesNotThrowAnyException();
  }

  private AttachTarget target(List<String> options, boolean catchesSigQuit) {
    return new AttachTarget(7, 7, 1000, 1000, catchesSigQuit, false, options, procDir);
  }

  private static void reason(AttachFailure failure, Reason reason) {
    org.assertj.core.api.Assertions.assertThat(failure.reason()).isEqualTo(reason);
  }
}
