package io.hotpatch.sidecar;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts a JVM's attach listener ahead of the JDK's attacher, which signals the JVM and then first
 * looks for its socket after 100 ms, then after 300 ms, 600 ms...: HotSpot opens it within about 10
 * to 20 ms, so a first attach waited 100 to 300 ms for nothing.
 */
public final class AttachListenerStart {
  /**
   * Opens the package of the JDK's own signal sender to us. On the command line of the attaching
   * JVM, or as {@code Add-Opens: jdk.attach/sun.tools.attach} in the manifest of its {@code -jar}.
   */
  public static final String JVM_FLAG = "--add-opens=jdk.attach/sun.tools.attach=ALL-UNNAMED";

  private static final long LOOK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final MethodHandle SEND_QUIT = sendQuit();

  private AttachListenerStart() {}

  /** Whether this JVM may signal targets itself; without it the JDK's attacher does it alone. */
  static boolean available() {
    return SEND_QUIT != null;
  }

  /**
   * Signals {@code target} to start its attach listener and waits up to {@code within} for its
   * socket. Returns whether the socket is there; does nothing when it already is, when the target
   * would not take the signal as the trigger (it would print a thread dump instead) or when this
   * JVM cannot signal: the JDK's attacher then starts the listener its own way.
   */
  static boolean awaitSocket(AttachTarget target, Duration within) {
    if (target.hasSocket()) {
      return true;
    }
    if (SEND_QUIT == null || !target.catchesSigQuit() || !triggerTakes(target)) {
      return false;
    }
    try {
      SEND_QUIT.invokeExact(Math.toIntExact(target.pid()));
    } catch (Throwable e) {
      return false;
    }
    long deadline = System.nanoTime() + within.toNanos();
    while (!target.hasSocket()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(LOOK_EVERY_NANOS);
    }
    return true;
  }

  /**
   * HotSpot takes the first trigger file it finds, in its working directory, then in /tmp, and only
   * if its owner is its own user or root.
   */
  private static boolean triggerTakes(AttachTarget target) {
    Path inWorkingDirectory = target.procDir().resolve("cwd").resolve(target.triggerName());
    Path trigger =
        Files.exists(inWorkingDirectory)
            ? inWorkingDirectory
            : target.inTarget("/tmp/" + target.triggerName());
    try {
      int owner = (Integer) Files.getAttribute(trigger, "unix:uid"); // follows links, as stat does
      return owner == target.uid() || owner == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static MethodHandle sendQuit() {
    try {
      Class<?> attacher = Class.forName("sun.tools.attach.VirtualMachineImpl");
      return MethodHandles.privateLookupIn(attacher, MethodHandles.lookup())
          .findStatic(attacher, "sendQuitTo", MethodType.methodType(void.class, int.class));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
