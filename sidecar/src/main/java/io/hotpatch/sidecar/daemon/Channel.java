package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PodReport;
import java.util.concurrent.CompletableFuture;

/** The pod's side of the operator channel (CHANNEL.md): desired state, bundles, reports. */
interface Channel {
  /**
   * The pod's desired state; with a revision, the server holds the answer until it changes or
   * {@code waitSeconds} pass. Completes exceptionally with a {@link ChannelException}.
   */
  CompletableFuture<DesiredState> desired(String revisionOrNull, int waitSeconds);

  /** The bytes of a bundle desired for this pod, unverified. */
  byte[] bundle(String sha256) throws ChannelException;

  void report(PodReport report) throws ChannelException;
}
