package io.hotpatch.agent;

import io.hotpatch.core.AgentSocketProtocol;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.WireFormat;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.Principal;
import java.util.Properties;

/**
 * The resident agent's door (agent loaded at JVM start with {@code socket=DIR}): a Unix domain
 * socket {@code DIR/<pid>.sock} in an owner-only directory, serving one bounded request at a time
 * from the JVM's own user (or root), so a sidecar reaches the agent without an attach per patch.
 */
final class AgentSocket implements Runnable {
  /** How long and how much a refused peer's leftover input is read before the connection closes. */
  private static final long DRAIN_MILLIS = 1000;

  private static final long DRAIN_BYTES = 4L * AgentSocketProtocol.MAX_REQUEST_BYTES;

  private final ServerSocketChannel server;
  private final UnixSockets sockets;
  private final UserPrincipal owner;
  private final UserPrincipal root;
  private final AgentRuntime runtime;

  private AgentSocket(
      ServerSocketChannel server,
      UnixSockets sockets,
      UserPrincipal owner,
      UserPrincipal root,
      AgentRuntime runtime) {
    this.server = server;
    this.sockets = sockets;
    this.owner = owner;
    this.root = root;
    this.runtime = runtime;
  }

  /**
   * Opens {@code dir/<pid>.sock} and serves it on a daemon thread; returns the problem, or null.
   */
  static String open(String dir, AgentRuntime runtime) {
    UnixSockets sockets = UnixSockets.available();
    if (sockets == null) {
      return null; // JDK 15 or older: no Unix domain sockets, attach remains the way in
    }
    try {
      Path directory = ownerOnlyDirectory(new File(dir).getAbsoluteFile().toPath());
      Path path = directory.resolve(AgentSocketProtocol.socketName(ownPid()));
      Files.deleteIfExists(path); // left by an earlier JVM of this pid (container restart)
      ServerSocketChannel server = sockets.listen(path);
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      UserPrincipal root =
          FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0");
      Thread thread =
          new Thread(
              new AgentSocket(server, sockets, Files.getOwner(path), root, runtime),
              "hotpatch-agent-socket");
      thread.setDaemon(true);
      thread.start();
      Thread warmUp = new Thread(new DelayedWarmUp(runtime), "hotpatch-agent-warm-up");
      warmUp.setDaemon(true);
      warmUp.start();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(new Remover(path), "hotpatch-agent-socket-remover"));
      return null;
    } catch (Exception e) {
      return "agent socket not opened in "
          + dir
          + " ("
          + Throwables.describe(e)
          + "): patches reach this JVM by attach instead; give the JVM's user a writable "
          + dir;
    }
  }

  @Override
  public void run() {
    while (server.isOpen()) {
      try {
        SocketChannel channel = server.accept();
        try {
          serve(channel);
        } finally {
          channel.close();
        }
      } catch (Throwable e) {
        // One bad peer must not close the door for the next one.
      }
    }
  }

  private void serve(SocketChannel channel) throws Exception {
    long deadline = System.currentTimeMillis() + AgentSocketProtocol.REQUEST_MILLIS;
    channel.configureBlocking(false);
    Selector selector = Selector.open();
    try {
      String refusal = refusePeer(channel);
      if (refusal != null) {
        write(channel, selector, refused(refusal), deadline);
        drain(channel, selector);
        return;
      }
      String request = readRequest(channel, selector, deadline);
      if (request == null) {
        write(
            channel,
            selector,
            refused(
                "request larger than "
                    + AgentSocketProtocol.MAX_REQUEST_BYTES
                    + " bytes or not finished within "
                    + AgentSocketProtocol.REQUEST_MILLIS
                    + " ms, the most the agent socket"
                    + " accepts: use a hotpatch client of this version"),
            System.currentTimeMillis() + AgentSocketProtocol.REQUEST_MILLIS);
        drain(channel, selector);
        return;
      }
      write(
          channel,
          selector,
          runtime.reply(request, null),
          System.currentTimeMillis() + AgentSocketProtocol.REQUEST_MILLIS);
    } finally {
      selector.close();
    }
  }

  /**
   * Warms the request path up once the application has had its own start to itself: run beside it,
   * the warm-up's interpreted work and compilations delayed the sample service's first answer by 50
   * ms (Java 17) to 80 ms (Temurin 25). A request that comes sooner is served at once, cold.
   */
  private static final class DelayedWarmUp implements Runnable {
    private static final long DELAY_MILLIS = 1000;

    private final AgentRuntime runtime;

    DelayedWarmUp(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void run() {
      try {
        Thread.sleep(DELAY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      runtime.warmUp();
    }
  }

  /**
   * Removes the socket file when the JVM ends, so the directory holds only the sockets of running
   * JVMs.
   */
  private static final class Remover implements Runnable {
    private final Path path;

    Remover(Path path) {
      this.path = path;
    }

    @Override
    public void run() {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // The next JVM with this pid replaces it; a client finds nobody listening and attaches.
      }
    }
  }

  private String refusePeer(SocketChannel channel) throws Exception {
    Principal peer = sockets.peerUser(channel);
    if (peer == null || peer.equals(owner) || peer.equals(root)) {
      return null;
    }
    return "peer user "
        + peer.getName()
        + " is not the JVM's user ("
        + owner.getName()
        + ") and not root, so nothing"
        + " was done: run the sidecar or CLI as user "
        + owner.getName();
  }

  /** The request line, or null when it is too long or too slow. */
  private static String readRequest(SocketChannel channel, Selector selector, long deadline)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(AgentSocketProtocol.MAX_REQUEST_BYTES + 1);
    channel.register(selector, SelectionKey.OP_READ);
    int scanned = 0;
    while (true) {
      int n = channel.read(buffer);
      for (; scanned < buffer.position(); scanned++) {
        if (buffer.get(scanned) == '\n') {
          return new String(buffer.array(), 0, scanned, "UTF-8");
        }
      }
      if (n < 0 || !buffer.hasRemaining()) {
        return null;
      }
      long left = deadline - System.currentTimeMillis();
      if (n == 0) {
        if (left <= 0) {
          return null;
        }
        selector.select(left);
        selector.selectedKeys().clear();
      }
    }
  }

  private static void write(
      SocketChannel channel, Selector selector, Properties reply, long deadline)
      throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(WireFormat.encode(reply).getBytes("UTF-8"));
    SelectionKey key = channel.keyFor(selector);
    if (key == null) {
      key = channel.register(selector, SelectionKey.OP_WRITE);
    } else {
      key.interestOps(SelectionKey.OP_WRITE);
    }
    while (bytes.hasRemaining()) {
      channel.write(bytes);
      long left = deadline - System.currentTimeMillis();
      if (bytes.hasRemaining() && (left <= 0 || selector.select(left) == 0)) {
        return; // a peer that does not read its reply is not waited for
      }
      selector.selectedKeys().clear();
    }
    channel.shutdownOutput();
  }

  /**
   * After a refusal, reads what the peer still sends until it closes, briefly and boundedly:
   * closing with unread input would reset the connection, and the peer would lose the refusal it is
   * owed.
   */
  private static void drain(SocketChannel channel, Selector selector) throws IOException {
    long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
    SelectionKey key = channel.keyFor(selector);
    if (key == null) {
      key = channel.register(selector, SelectionKey.OP_READ);
    } else {
      key.interestOps(SelectionKey.OP_READ);
    }
    ByteBuffer sink = ByteBuffer.allocate(8192);
    long read = 0;
    while (read <= DRAIN_BYTES) {
      sink.clear();
      int n = channel.read(sink);
      if (n < 0) {
        return;
      }
      read += n;
      long left = deadline - System.currentTimeMillis();
      if (n == 0 && (left <= 0 || selector.select(left) == 0)) {
        return;
      }
      selector.selectedKeys().clear();
    }
  }

  private static Properties refused(String message) {
    return AgentRuntime.versioned(
        PatchResult.of("unknown", ResultState.FAILED, "", message).toProperties());
  }

  /** Creates the directory owner-only, or refuses one that another user made. */
  private static Path ownerOnlyDirectory(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
    }
    int uid = (Integer) Files.getAttribute(directory, "unix:uid");
    if (uid != ownUid()) {
      throw new IOException(
          directory + " belongs to uid " + uid + ", not to this JVM's uid " + ownUid());
    }
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    return directory;
  }

  private static long ownPid() throws IOException {
    return Long.parseLong(new File("/proc/self").getCanonicalFile().getName());
  }

  private static int ownUid() throws IOException {
    for (String line :
        Files.readAllLines(new File("/proc/self/status").toPath(), StandardCharsets.UTF_8)) {
      if (line.startsWith("Uid:")) {
        return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
      }
    }
    throw new IOException("/proc/self/status names no Uid");
  }
}
