package io.hotpatch.cli;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.PatchResult;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.sidecar.AttachFailure;
import java.nio.file.Path;

/** The agent in a local JVM as the CLI drives it: attach failures become one-line CLI errors. */
final class Agent {
  private final AgentClient client;

  private Agent(AgentClient client) {
    this.client = client;
  }

  /** An agent client for the jar {@link AgentJar#locate()} finds. */
  static Agent local() {
    return new Agent(new AgentClient(AgentJar.locate()));
  }

  PatchResult check(long pid, Path bundle, String pin, boolean allowJdkClasses) {
    return call(() -> client.check(pid, bundle, pin, allowJdkClasses));
  }

  PatchResult apply(long pid, Path bundle, String pin, boolean allowJdkClasses) {
    return call(() -> client.apply(pid, bundle, pin, allowJdkClasses));
  }

  PatchResult revert(long pid, String patchId) {
    return call(() -> client.revert(pid, patchId));
  }

  AgentStatus status(long pid) {
    return call(() -> client.status(pid));
  }

  /** A call that may fail to attach. */
  private interface Call<T> {
    T run() throws AttachFailure;
  }

  private static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (AttachFailure e) {
      throw CliException.failure(e.getMessage());
    }
  }
}
