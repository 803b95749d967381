package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.PatchResult;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.sidecar.AttachFailure;
import java.nio.file.Path;

/**
 * The real agent, through {@link AgentClient}: its socket when resident since JVM start, else an
 * attach with the shared agent jar.
 */
final class AttachedAgent implements Agent {
  private final AgentClient client;

  AttachedAgent(Path agentJar) {
    this.client = new AgentClient(agentJar);
  }

  @Override
  public AgentStatus status(long pid) throws AttachFailure {
    return client.status(pid);
  }

  @Override
  public PatchResult apply(long pid, Path bundle, String sha256, boolean allowJdkClasses)
      throws AttachFailure {
    return client.apply(pid, bundle, sha256, allowJdkClasses);
  }

  @Override
  public PatchResult revert(long pid, String sha256) throws AttachFailure {
    return client.revert(pid, sha256);
  }
}
