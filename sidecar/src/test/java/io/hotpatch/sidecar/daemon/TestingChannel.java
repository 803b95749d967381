package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PodReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The channel in memory: answers a poll at once unless it asks for the current revision (then holds
 * it); while {@link #unavailable} is set, every request fails with it, as a replica that does not
 * lead.
 */
final class TestingChannel implements Channel {
  final List<String> requests = new ArrayList<>();
  ChannelException unavailable;
  final List<PodReport> reports = new ArrayList<>();
  final Map<String, byte[]> bundles = new HashMap<>();
  DesiredState desired = new DesiredState("0", List.of());

  /** The poll held last, which a test can fail as a restarting operator does. */
  CompletableFuture<DesiredState> held;

  @Override
  public CompletableFuture<DesiredState> desired(String revisionOrNull, int waitSeconds) {
    requests.add("desired " + revisionOrNull);
    if (unavailable != null) {
      return CompletableFuture.failedFuture(unavailable);
    }
    if (desired.getRevision().equals(revisionOrNull)) {
      held = new CompletableFuture<>();
      return held;
    }
    return CompletableFuture.completedFuture(desired);
  }

  @Override
  public byte[] bundle(String sha256) throws ChannelException {
    requests.add("bundle " + sha256);
    if (unavailable != null) {
      throw unavailable;
    }
    byte[] bytes = bundles.get(sha256);
    if (bytes == null) {
      throw new ChannelException(404, "not desired", "GET bundle answered HTTP 404: not desired");
    }
    return bytes;
  }

  @Override
  public void report(PodReport report) throws ChannelException {
    requests.add("report");
    if (unavailable != null) {
      throw unavailable;
    }
    reports.add(report);
  }
}
