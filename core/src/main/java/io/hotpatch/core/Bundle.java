package io.hotpatch.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.objectweb.asm.ClassReader;

/**
 * A patch bundle read into memory: its sha256 (the patch id), its class files by binary name and
 * its manifest. Reading validates everything, so a bundle that loads here is safe to hand on.
 */
public final class Bundle {
  /** What {@link #verify(byte[])} keeps of each class file: nothing. */
  private static final byte[] EMPTY = new byte[0];

  private final String sha256;
  private final Map<String, byte[]> classes;
  private final BundleManifest manifest;

  private Bundle(String sha256, Map<String, byte[]> classes, BundleManifest manifest) {
    this.sha256 = sha256;
    this.classes = Collections.unmodifiableMap(classes);
    this.manifest = manifest;
  }

  public static Bundle read(File file) throws BundleException {
    String label = "bundle " + file;
    if (file.isDirectory()) {
      throw new BundleException(label + " is a directory: pass the path of a bundle jar");
    }
    if (!file.exists()) {
      throw new BundleException(label + " does not exist: pass the path of a bundle jar");
    }
    if (file.length() > BundleLimits.MAX_PACKED_BYTES) {
      throw BundleLimits.tooLarge(label);
    }
    byte[] jar;
    try {
      jar = readFile(file, label);
    } catch (IOException e) {
      throw new BundleException(
          "cannot read "
              + label
              + " ("
              + e.getMessage()
              + "): make it readable by this user (chmod a+r) or pass another copy",
          e);
    }
    return read(jar, label, true);
  }

  public static Bundle read(byte[] jar) throws BundleException {
    return read(jar, "bundle", true);
  }

  /**
   * Checks a bundle as {@link #read(byte[])} does but keeps no class file, so checking costs at
   * most one entry's worth of memory; returns the binary names of its classes.
   */
  public static Set<String> verify(byte[] jar) throws BundleException {
    return read(jar, "bundle", false).getClasses().keySet();
  }

  private static Bundle read(byte[] jar, String label, boolean keepClasses) throws BundleException {
    if (jar.length > BundleLimits.MAX_PACKED_BYTES) {
      throw BundleLimits.tooLarge(label);
    }
    BundleLimits limits = new BundleLimits(label, jar.length);
    Map<String, byte[]> classes = new LinkedHashMap<String, byte[]>();
    BundleManifest manifest = BundleManifest.empty();
    Set<String> paths = new HashSet<String>();
    boolean sawEntry = false;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        sawEntry = true;
        limits.countEntry();
        String path = entry.getName();
        EntryNames.checkPath(label, path);
        if (entry.isDirectory()) {
          continue;
        }
        if (!paths.add(path)) {
          throw new BundleException(
              label
                  + " holds "
                  + path
                  + " twice, so which copy applies is unclear: rebuild it with 'hotpatch diff'");
        }
        boolean isClass = path.endsWith(".class") && !path.endsWith("module-info.class");
        boolean isManifest = path.equals(BundleManifest.PATH);
        byte[] bytes = limits.inflate(zip, path, isClass || isManifest);
        if (isManifest) {
          manifest =
              BundleManifest.fromProperties(WireFormat.decode(new String(bytes, "ISO-8859-1")));
        } else if (isClass) {
          String name = checkedClassName(label, path, bytes);
          classes.put(name, keepClasses ? bytes : EMPTY);
        }
      }
    } catch (IOException e) {
      throw new BundleException(
          label + " is not a valid jar (" + e.getMessage() + "): build it with 'hotpatch diff'", e);
    }
    if (!sawEntry) {
      throw new BundleException(
          label + " is not a jar (no zip entries): build it with 'hotpatch diff'");
    }
    if (classes.isEmpty()) {
      throw new BundleException(
          label
              + " holds no class files: build it with 'hotpatch diff OLD.jar NEW.jar --out BUNDLE'");
    }
    for (String name : manifest.getEntries().keySet()) {
      if (!classes.containsKey(name)) {
        throw new BundleException(
            label
                + ": its manifest names "
                + name
                + " but it has no class file for it: rebuild the bundle");
      }
    }
    return new Bundle(Sha256.hex(jar), classes, manifest);
  }

  private static String checkedClassName(String label, String path, byte[] bytes)
      throws BundleException {
    String expected = EntryNames.binaryName(label, path);
    String actual;
    try {
      actual = new ClassReader(bytes).getClassName();
    } catch (RuntimeException e) {
      throw new BundleException(
          "bundle entry " + path + " is not a valid class file (" + e + "): rebuild the bundle", e);
    }
    if (!expected.equals(actual)) {
      throw new BundleException(
          "bundle entry "
              + path
              + " holds class "
              + actual
              + ": class files must sit at their usual paths");
    }
    return actual.replace('/', '.');
  }

  private static byte[] readFile(File file, String label) throws IOException, BundleException {
    InputStream in = new FileInputStream(file);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (out.size() + n > BundleLimits.MAX_PACKED_BYTES) {
          throw BundleLimits.tooLarge(label);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } finally {
      in.close();
    }
  }

  /** Lowercase hex sha256 of the bundle's bytes; also the patch id. */
  public String getSha256() {
    return sha256;
  }

  /** Class files by binary name ({@code com.example.Price$1}), in jar order. */
  public Map<String, byte[]> getClasses() {
    return classes;
  }

  public BundleManifest getManifest() {
    return manifest;
  }

  /** Whether the builder left a manifest (hand-made bundles have none). */
  public boolean hasManifest() {
    return !manifest.getEntries().isEmpty();
  }
}
