package io.hotpatch.agent;

/**
 * The bytes a loaded class runs, as far as the agent can tell, and where they came from: its class
 * file, or the JVM's own rebuild of the class when the file on disk may no longer be what was
 * loaded.
 */
final class RunningBytes {
  final byte[] bytes;

  /** Empty when the bytes are the class file; else why the JVM's copy was read, for messages. */
  final String note;

  RunningBytes(byte[] bytes, String note) {
    this.bytes = bytes;
    this.note = note;
  }
}
