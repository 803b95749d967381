package io.hotpatch.sidecar.daemon;

import io.hotpatch.sidecar.JvmProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Embedding API of the sidecar: one pod's daemon (HTTPS channel client, bundle staging, converge
 * loop, reports) run inside another process, with the app JVM replaced by the embedder's {@link
 * Agent}. The fleet benchmark runs hundreds of them in one JVM; the sidecar image runs {@link
 * SidecarMain}. This class, {@link Agent} and {@link SidecarConfig} are the whole public surface of
 * this package; everything else is internal.
 */
public final class EmbeddedSidecar {
  private final Daemon daemon;

  /**
   * A sidecar with the settings of {@code config} (its {@code container} is ignored: the target is
   * always {@code jvm}, standing in for the pod's only JVM), logging one line per event to {@code
   * out}, its requests sent on {@code client}, from {@link #channelClient}, which it may share with
   * other embedded sidecars: each request still carries this sidecar's token and holds a connection
   * of its own; the client's TLS trust (and the sessions it may resume) and threads are shared by
   * those that share it.
   *
   * <p>The daemon watches process {@code appPid} as the app JVM's process: while it lives, the JVM
   * has not restarted. Checking costs a read of its {@code /proc/<pid>/stat}, which the kernel sums
   * over all its threads, so a process that runs thousands of embedded sidecars should name a small
   * one of its own, not itself.
   */
  public EmbeddedSidecar(
      SidecarConfig config, Agent jvm, long appPid, PrintStream out, HttpClient client) {
    JvmProcess target =
        new JvmProcess(
            appPid,
            0,
            0,
            List.of("java"),
            "embedded",
            Integer.toString(Runtime.version().feature()),
            false);
    TargetLocator locator = new TargetLocator(() -> List.of(target), config.dir(), "");
    Channel channel = new HttpsChannel(config.podChannel(), config.tokenFile(), client);
    this.daemon = new Daemon(config, channel, jvm, locator, new Log(out, config.debug()));
  }

  /** A channel client trusting {@code caFile}, its work done on {@code executor}. */
  public static HttpClient channelClient(Path caFile, Executor executor) throws IOException {
    return HttpsChannel.builder(caFile).executor(executor).build();
  }

  /**
   * Whether the operator has answered this sidecar yet: from then on it converges what it was told
   * and holds a long poll.
   */
  public boolean answered() {
    return daemon.answered();
  }

  /** Runs the daemon on the calling thread until the thread is interrupted. */
  public void run() throws InterruptedException {
    daemon.run();
  }
}
