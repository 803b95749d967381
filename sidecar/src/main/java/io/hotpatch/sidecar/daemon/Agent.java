package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.PatchResult;
import io.hotpatch.sidecar.AttachFailure;
import java.nio.file.Path;

/**
 * The agent operations the daemon uses, so the converge logic can be tested without a JVM. Public
 * as part of the embedding API ({@link EmbeddedSidecar}): an embedder supplies the JVM.
 */
public interface Agent {
  AgentStatus status(long pid) throws AttachFailure;

  PatchResult apply(long pid, Path bundle, String sha256, boolean allowJdkClasses)
      throws AttachFailure;

  PatchResult revert(long pid, String sha256) throws AttachFailure;
}
