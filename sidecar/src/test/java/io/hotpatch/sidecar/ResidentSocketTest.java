package io.hotpatch.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpatch.core.AgentRequest;
import io.hotpatch.core.AgentRequest.Operation;
import io.hotpatch.sidecar.AttachFailure.Reason;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidentSocketTest {
  private static final AgentRequest STATUS =
      new AgentRequest(Operation.STATUS, null, null, null, "hotpatch.reply.0.0");

  @TempDir Path dir;

  @Test
  void givesUpOnAnAgentThatNeverAnswersAndSaysWhatToCheck() throws Exception {
    Path path = dir.resolve("1.sock");
    try (ServerSocketChannel server = listen(path)) {
      CompletableFuture<SocketChannel> accepted =
          CompletableFuture.supplyAsync(() -> accept(server));
      ResidentSocket socket = new ResidentSocket(path, 4242, Duration.ofMillis(300));
      long start = System.nanoTime();

      assertThatThrownBy(() -> socket.call(STATUS))
          .isInstanceOfSatisfying(
              AttachFailure.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.AGENT_REPLY_MISSING))
          .hasMessageContaining("did not answer within 300 ms")
          .hasMessageContaining("jcmd 4242 Thread.print")
          .hasMessageContaining("hotpatch status");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      accepted.join().close();
    }
  }

  @Test
  void readsAReplyThatArrivesInPieces() throws Exception {
    Path path = dir.resolve("2.sock");
    try (ServerSocketChannel server = listen(path)) {
      CompletableFuture<Void> agent = agent(server, "state=", "APPLIED\n");

      assertThat(new ResidentSocket(path, 4242, Duration.ofSeconds(10)).call(STATUS))
          .contains("state=APPLIED\n");
      agent.join();
    }
  }

  @Test
  void namesAnAgentThatClosesWithoutAReply() throws Exception {
    Path path = dir.resolve("3.sock");
    try (ServerSocketChannel server = listen(path)) {
      CompletableFuture<Void> agent = agent(server);

      assertThatThrownBy(() -> new ResidentSocket(path, 4242, Duration.ofSeconds(10)).call(STATUS))
          .isInstanceOfSatisfying(
              AttachFailure.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.AGENT_REPLY_MISSING))
          .hasMessageContaining("closed without a reply")
          .hasMessageContaining("restart the JVM if its agent jar changed");
      agent.join();
    }
  }

  /** A fake agent: takes one request, writes {@code parts} 200 ms apart, then closes. */
  private static CompletableFuture<Void> agent(ServerSocketChannel server, String... parts) {
    return CompletableFuture.runAsync(
        () -> {
          try (SocketChannel peer = accept(server)) {
            peer.read(ByteBuffer.allocate(4096));
            for (int i = 0; i < parts.length; i++) {
              if (i > 0) {
                Thread.sleep(200);
              }
              peer.write(ByteBuffer.wrap(parts[i].getBytes(StandardCharsets.UTF_8)));
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static ServerSocketChannel listen(Path path) throws Exception {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    return server;
  }

  private static SocketChannel accept(ServerSocketChannel server) {
    try {
      return server.accept();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
