package io.hotpatch.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.ZipInputStream;

/**
 * What a bundle may inflate to, counted while it is read, so that a zip bomb costs at most one
 * entry's worth of memory and a few megabytes of inflation before it is refused. Real patches
 * (changed classes only) stay far below every limit.
 */
public final class BundleLimits {
  /** Largest bundle file (packed). */
  public static final int MAX_PACKED_BYTES = 64 << 20;
  /** Largest sum of all entries, unpacked. */
  public static final long MAX_UNPACKED_BYTES = 64L << 20;
  /** Largest single entry, unpacked: the biggest class files in the wild are a few hundred KiB. */
  public static final int MAX_ENTRY_BYTES = 4 << 20;
  /** Most entries (directories included). */
  public static final int MAX_ENTRIES = 10000;
  /** Largest unpacked / packed ratio; class files deflate about 2 to 4 times. */
  public static final int MAX_RATIO = 100;

  private final String label;
  private final long packed;
  private int entries;
  private long unpacked;

  BundleLimits(String label, long packed) {
    this.label = label;
    this.packed = packed;
  }

  static BundleException tooLarge(String label) {
    return refusal(label + " is larger than the " + (MAX_PACKED_BYTES >> 20) + " MiB a bundle may hold packed");
  }

  void countEntry() throws BundleException {
    if (++entries > MAX_ENTRIES) {
      throw refusal(label + " has more than " + MAX_ENTRIES + " entries, the most a bundle may hold");
    }
  }

  /** Inflates one entry, refusing it as soon as it passes a limit; the bytes are kept only if {@code keep}. */
  byte[] inflate(ZipInputStream zip, String path, boolean keep)
      throws IOException, BundleException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long entry = 0;
    for (int n = zip.read(buffer); n >= 0; n = zip.read(buffer)) {
      entry += n;
      unpacked += n;
      if (entry > MAX_ENTRY_BYTES) {
        throw refusal(label + " entry " + path + " inflates past " + (MAX_ENTRY_BYTES >> 20)
            + " MiB, the most one entry may hold");
      }
      if (unpacked > MAX_UNPACKED_BYTES) {
        throw refusal(label + " inflates past " + (MAX_UNPACKED_BYTES >> 20) + " MiB, the most a bundle may hold"
            + " unpacked");
      }
      if (unpacked > MAX_RATIO * packed) {
        throw refusal(label + " inflates past " + MAX_RATIO + " times its packed size of " + packed
            + " bytes, the most a bundle may (a zip bomb)");
      }
      if (keep) {
        out.write(buffer, 0, n);
      }
    }
    return out.toByteArray();
  }

  private static BundleException refusal(String what) {
    return new BundleException(what + ": a patch carries only the changed classes; diff the builds again"
        + " with 'hotpatch diff'");
  }
}
