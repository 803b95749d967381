package io.hotpatch.sidecar;

import io.hotpatch.core.AgentRequest;
import io.hotpatch.core.AgentSocketProtocol;
import io.hotpatch.sidecar.AttachFailure.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The socket of an agent resident since JVM start ({@code -javaagent:...=socket=DIR}): found
 * through the target's own JVM options and filesystem, it carries one request and its reply without
 * an attach.
 */
final class ResidentSocket {
  /** The most reply text read back (a reply lists one line per class copy). */
  static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;

  private final Path path;
  private final long pid;
  private final Duration replyTimeout;

  ResidentSocket(Path path, long pid, Duration replyTimeout) {
    this.path = path;
    this.pid = pid;
    this.replyTimeout = replyTimeout;
  }

  /**
   * The target's agent socket, when its JVM options name one and it exists; else attach is the way
   * in.
   */
  static Optional<ResidentSocket> of(AttachTarget target, Duration replyTimeout) {
    String directory = AgentSocketProtocol.socketDirectoryOf(target.jvmOptions());
    if (directory == null || !directory.startsWith("/")) {
      return Optional.empty();
    }
    Path socket =
        target.inTarget(directory).resolve(AgentSocketProtocol.socketName(target.nsPid()));
    return Files.exists(socket)
        ? Optional.of(new ResidentSocket(socket, target.pid(), replyTimeout))
        : Optional.empty();
  }

  Path path() {
    return path;
  }

  /**
   * The reply to one request, or empty when nobody listens (a socket left by an ended JVM): then
   * attach. A connection that breaks after the request went out is a failure, not a retry.
   */
  Optional<String> call(AgentRequest request) throws AttachFailure {
    SocketChannel channel;
    try {
      channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
    } catch (IOException e) {
      return Optional.empty();
    }
    try (channel;
        Selector selector = Selector.open()) {
      channel.write(ByteBuffer.wrap((request.encode() + "\n").getBytes(StandardCharsets.UTF_8)));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      long deadline = System.nanoTime() + replyTimeout.toNanos();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      for (int n = channel.read(buffer); n >= 0; n = channel.read(buffer)) {
        reply.write(buffer.array(), 0, buffer.position());
        buffer.clear();
        if (reply.size() > MAX_REPLY_BYTES) {
          throw new AttachFailure(
              Reason.AGENT_REPLY_MISSING,
              "the agent socket "
                  + path
                  + " sent more than "
                  + MAX_REPLY_BYTES
                  + " bytes, the most a reply may hold: use the agent jar of this hotpatch version");
        }
        if (n == 0) {
          awaitReply(selector, deadline);
        }
      }
      if (reply.size() == 0) {
        throw new AttachFailure(
            Reason.AGENT_REPLY_MISSING,
            "the agent socket "
                + path
                + " closed without a reply: the agent failed while answering (for example its"
                + " agent jar was replaced while the JVM runs, or the JVM is out of memory); check"
                + " the JVM's output, and restart the JVM if its agent jar changed");
      }
      return Optional.of(reply.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AttachFailure(
          Reason.ATTACH_FAILED,
          "the agent socket "
              + path
              + " broke off the request ("
              + e.getMessage()
              + "): check that the JVM is still running, then retry");
    }
  }

  private void awaitReply(Selector selector, long deadline) throws IOException, AttachFailure {
    long left = deadline - System.nanoTime();
    if (left <= 0
        || selector.select(Math.max(1, left / 1_000_000)) == 0 && System.nanoTime() >= deadline) {
      throw ReplyDeadline.missed("the agent behind " + path + " did not answer", pid, replyTimeout);
    }
    selector.selectedKeys().clear();
  }
}
