package io.hotpatch.core;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What a bundle (or a build being diffed) may inflate to, counted while it is read, so that a zip
 * bomb costs at most one entry's worth of memory and a few megabytes of inflation before it is
 * refused. Real patches (changed classes only) stay far below every limit.
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

  /** Most entries of one archive of a build (a fat jar, a WAR, one of their nested jars). */
  public static final int MAX_BUILD_ENTRIES = 200000;

  /** Largest sum of one archive of a build, unpacked (its nested jars included). */
  public static final long MAX_BUILD_UNPACKED_BYTES = 2L << 30;

  /** Deepest jar in a jar in a jar a build may nest (an EAR holds a WAR holds a library). */
  public static final int MAX_BUILD_NESTING = 3;

  private final String label;
  private final long packed;
  private final String kind;
  private final int maxEntries;
  private final long maxUnpacked;
  private final String fix;
  private int entries;
  private long unpacked;

  BundleLimits(String label, long packed) {
    this(
        label,
        packed,
        "a bundle",
        MAX_ENTRIES,
        MAX_UNPACKED_BYTES,
        "a patch carries only the changed classes; diff the builds again with 'hotpatch diff'");
  }

  private BundleLimits(
      String label, long packed, String kind, int maxEntries, long maxUnpacked, String fix) {
    this.label = label;
    this.packed = packed;
    this.kind = kind;
    this.maxEntries = maxEntries;
    this.maxUnpacked = maxUnpacked;
    this.fix = fix;
  }

  /**
   * Limits for one archive of an application build that {@code hotpatch diff} reads: far more
   * entries and bytes than a bundle, the same bound per class file and the same inflation ratio.
   */
  public static BundleLimits forBuild(String label, long packed) {
    return new BundleLimits(
        label,
        packed,
        "a build archive",
        MAX_BUILD_ENTRIES,
        MAX_BUILD_UNPACKED_BYTES,
        "diff the application's own jar or class directory instead of this archive");
  }

  static BundleException tooLarge(String label) {
    return refusal(
        label + " is larger than the " + (MAX_PACKED_BYTES >> 20) + " MiB a bundle may hold packed",
        "a patch carries only the changed classes; diff the builds again with 'hotpatch diff'");
  }

  public void countEntry() throws BundleException {
    if (++entries > maxEntries) {
      throw refusal(
          label + " has more than " + maxEntries + " entries, the most " + kind + " may hold", fix);
    }
  }

  /**
   * Inflates one entry, refusing it as soon as it passes a limit; the bytes are kept only if {@code
   * keep}.
   */
  public byte[] inflate(InputStream zip, String path, boolean keep)
      throws IOException, BundleException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long entry = 0;
    for (int n = zip.read(buffer); n >= 0; n = zip.read(buffer)) {
      entry += n;
      if (entry > MAX_ENTRY_BYTES) {
        throw refusal(
            label
                + " entry "
                + path
                + " inflates past "
                + (MAX_ENTRY_BYTES >> 20)
                + " MiB, the most one entry may hold",
            fix);
      }
      count(n);
      if (keep) {
        out.write(buffer, 0, n);
      }
    }
    return out.toByteArray();
  }

  /**
   * The stream of a nested archive (a jar inside a jar), whose bytes count against this archive's
   * total and ratio as they are read; a refusal surfaces as an {@link IOException} carrying it.
   */
  public InputStream counted(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          countUnchecked(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          countUnchecked(n);
        }
        return n;
      }
    };
  }

  private void countUnchecked(int n) throws IOException {
    try {
      count(n);
    } catch (BundleException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private void count(int n) throws BundleException {
    unpacked += n;
    if (unpacked > maxUnpacked) {
      throw refusal(
          label
              + " inflates past "
              + (maxUnpacked >> 20)
              + " MiB, the most "
              + kind
              + " may hold unpacked",
          fix);
    }
    if (unpacked > MAX_RATIO * packed) {
      throw refusal(
          label
              + " inflates past "
              + MAX_RATIO
              + " times its packed size of "
              + packed
              + " bytes, the most "
              + kind
              + " may (a zip bomb)",
          fix);
    }
  }

  private static BundleException refusal(String what, String fix) {
    return new BundleException(what + ": " + fix);
  }
}
