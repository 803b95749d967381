package io.hotpatch.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;

/**
 * Initialises the JDK's Unix domain sockets on a thread of their own while picocli builds its
 * model, for the commands that talk to a resident agent: their first socket seeds a {@code
 * SecureRandom} inside the JDK, 15 to 30 ms of a short command's start.
 */
final class SocketPrestart {
  private static final Set<Class<? extends CliCommand>> SOCKET_COMMANDS =
      Set.of(ApplyCommand.class, RevertCommand.class, StatusCommand.class);

  private SocketPrestart() {}

  /** Starts it when the command line names exactly one subcommand, and that one uses a socket. */
  static void startFor(List<Class<? extends CliCommand>> subcommands) {
    if (subcommands.size() != 1 || !SOCKET_COMMANDS.contains(subcommands.get(0))) {
      return;
    }
    Thread thread = new Thread(SocketPrestart::openOne, "hotpatch-socket-prestart");
    thread.setDaemon(true);
    thread.start();
  }

  private static void openOne() {
    try {
      SocketChannel.open(StandardProtocolFamily.UNIX).close();
    } catch (IOException | RuntimeException e) {
      // Only a head start: the command opens its own socket and reports what goes wrong there.
    }
  }
}
