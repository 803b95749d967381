package io.hotpatch.agent;

import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.Principal;

/**
 * Unix domain sockets and their peer credentials, reached by reflection: the agent is Java 8
 * bytecode, and these APIs exist from JDK 16 ({@code UnixDomainSocketAddress}, {@code
 * SO_PEERCRED}).
 */
final class UnixSockets {
  private final Method open;
  private final Method address;
  private final SocketOption<Object> peerCredentials;
  private final Method peerUser;

  private UnixSockets(
      Method open, Method address, SocketOption<Object> peerCredentials, Method peerUser) {
    this.open = open;
    this.address = address;
    this.peerCredentials = peerCredentials;
    this.peerUser = peerUser;
  }

  /** The JVM's Unix domain sockets, or null on a JVM older than 16 that has none. */
  @SuppressWarnings("unchecked")
  static UnixSockets available() {
    try {
      Method open = ServerSocketChannel.class.getMethod("open", ProtocolFamily.class);
      Method address =
          Class.forName("java.net.UnixDomainSocketAddress").getMethod("of", Path.class);
      SocketOption<Object> peerCredentials = null;
      Method peerUser = null;
      try {
        peerCredentials =
            (SocketOption<Object>)
                Class.forName("jdk.net.ExtendedSocketOptions").getField("SO_PEERCRED").get(null);
        peerUser = Class.forName("jdk.net.UnixDomainPrincipal").getMethod("user");
      } catch (Exception e) {
        // jdk.net left out of a jlinked runtime: the owner-only directory and socket still guard
        // it.
      }
      return new UnixSockets(open, address, peerCredentials, peerUser);
    } catch (Exception e) {
      return null;
    }
  }

  ServerSocketChannel listen(Path path) throws Exception {
    ServerSocketChannel server =
        (ServerSocketChannel) open.invoke(null, StandardProtocolFamily.valueOf("UNIX"));
    try {
      server.bind((SocketAddress) address.invoke(null, path), 1);
      return server;
    } catch (Exception e) {
      server.close();
      throw e;
    }
  }

  /** The user the peer process runs as, or null when this JVM cannot tell. */
  Principal peerUser(SocketChannel channel) throws Exception {
    if (peerCredentials == null || !channel.supportedOptions().contains(peerCredentials)) {
      return null;
    }
    return (Principal) peerUser.invoke(channel.getOption(peerCredentials));
  }
}
