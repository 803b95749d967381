package io.hotpatch.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Writes the next build of an executable fat jar: the same archive, entry by entry in the same
 * order, with some class files replaced; stored entries (the nested jars, which Spring Boot's
 * loader reads in place) stay stored.
 */
public final class FatJars {
  /** Where a Spring Boot fat jar keeps the application's own classes. */
  public static final String SPRING_BOOT_CLASSES = "BOOT-INF/classes/";

  private FatJars() {}

  /**
   * Copies {@code fatJar} to {@code target} with the class files of {@code classes} (by binary
   * name) under {@code classesDir} replaced; refuses a class the archive does not hold.
   */
  public static Path replaceClasses(
      Path fatJar, String classesDir, Map<String, byte[]> classes, Path target) {
    Map<String, byte[]> replacements = new HashMap<>();
    classes.forEach(
        (name, bytes) -> replacements.put(classesDir + name.replace('.', '/') + ".class", bytes));
    try (ZipFile source = new ZipFile(fatJar.toFile());
        OutputStream file = Files.newOutputStream(target);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (String name : replacements.keySet()) {
        if (source.getEntry(name) == null) {
          throw new IllegalArgumentException(
              fatJar + " has no entry " + name + ": pass a class the application already has");
        }
      }
      Enumeration<? extends ZipEntry> entries = source.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        byte[] replacement = replacements.get(entry.getName());
        if (replacement != null) {
          out.putNextEntry(copyOf(entry, replacement.length, crc(replacement)));
          out.write(replacement);
        } else {
          out.putNextEntry(copyOf(entry, entry.getSize(), entry.getCrc()));
          try (InputStream in = source.getInputStream(entry)) {
            in.transferTo(out);
          }
        }
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + fatJar + " into " + target, e);
    }
    return target;
  }

  /**
   * A new entry like {@code entry} (name, method, time, extra, comment); a stored one carries its
   * size and checksum up front, a deflated one is compressed anew.
   */
  private static ZipEntry copyOf(ZipEntry entry, long size, long crc) {
    ZipEntry copy = new ZipEntry(entry.getName());
    copy.setMethod(entry.getMethod());
    copy.setTime(entry.getTime());
    copy.setExtra(entry.getExtra());
    copy.setComment(entry.getComment());
    if (entry.getMethod() == ZipEntry.STORED) {
      copy.setSize(size);
      copy.setCompressedSize(size);
      copy.setCrc(crc);
    }
    return copy;
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }
}
