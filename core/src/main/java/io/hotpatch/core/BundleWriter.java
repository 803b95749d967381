package io.hotpatch.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes bundle jars byte-for-byte reproducibly (fixed entry times and order), so the same diff
 * always yields the same sha256 and therefore the same patch id.
 */
public final class BundleWriter {
  private static final long FIXED_TIME = 315532800000L + 2000L; // 1980-01-01T00:00:02Z, zip's epoch

  private BundleWriter() {}

  /** The jar bytes for these classes (binary name to class file) and manifest. */
  public static byte[] write(Map<String, byte[]> classes, BundleManifest manifest) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      if (!manifest.getEntries().isEmpty()) {
        put(zip, BundleManifest.PATH, manifestText(manifest).getBytes("ISO-8859-1"));
      }
      List<String> names = new ArrayList<String>(classes.keySet());
      Collections.sort(names);
      for (String name : names) {
        put(zip, name.replace('.', '/') + ".class", classes.get(name));
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  private static void put(ZipOutputStream zip, String path, byte[] content) throws IOException {
    ZipEntry entry = new ZipEntry(path);
    entry.setTime(FIXED_TIME);
    zip.putNextEntry(entry);
    zip.write(content);
    zip.closeEntry();
  }

  /** Properties text without the timestamp comment and in sorted order, so it is reproducible. */
  private static String manifestText(BundleManifest manifest) {
    List<String> lines = new ArrayList<String>();
    for (String line : WireFormat.encode(manifest.toProperties()).split("\n")) {
      if (!line.startsWith("#") && !line.trim().isEmpty()) {
        lines.add(line.replace("\r", ""));
      }
    }
    Collections.sort(lines);
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line).append('\n');
    }
    return out.toString();
  }
}
