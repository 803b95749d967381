package io.hotpatch.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hand-made jars for tests: entries at any path, and zip bombs built streaming, never held
 * unpacked.
 */
final class Zips {
  private Zips() {}

  /** A jar whose entries (path to bytes) are written as given, in map order. */
  static byte[] jar(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
      }
    }
    return bytes.toByteArray();
  }

  /**
   * {@code entries} entries (paths from {@code pathFormat} and the index) of {@code zerosEach} zero
   * bytes each, deflated about 1000 to 1.
   */
  static byte[] bomb(String pathFormat, int entries, long zerosEach) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] zeros = new byte[1 << 20];
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < entries; i++) {
        zip.putNextEntry(new ZipEntry(String.format(pathFormat, i)));
        for (long left = zerosEach; left > 0; left -= zeros.length) {
          zip.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
      }
    }
    return bytes.toByteArray();
  }
}
