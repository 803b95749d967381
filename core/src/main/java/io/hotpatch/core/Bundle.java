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
 * A patch bundle read into memory: its sha256 (the patch id), its class files by binary name and its
 * manifest. Reading validates everything, so a bundle that loads here is safe to hand on.
 */
public final class Bundle {
  private final String sha256;
  private final Map<String, byte[]> classes;
  private final BundleManifest manifest;

  private Bundle(String sha256, Map<String, byte[]> classes, BundleManifest manifest) {
    this.sha256 = sha256;
    this.classes = Collections.unmodifiableMap(classes);
    this.manifest = manifest;
  }

  /** Largest bundle accepted, packed and unpacked: a patch carries only changed classes. */
  public static final int MAX_BYTES = 64 * 1024 * 1024;

  public static Bundle read(File file) throws BundleException {
    String label = "bundle " + file;
    if (file.isDirectory()) {
      throw new BundleException(label + " is a directory: pass the path of a bundle jar");
    }
    if (!file.exists()) {
      throw new BundleException(label + " does not exist: pass the path of a bundle jar");
    }
    if (file.length() > MAX_BYTES) {
      throw tooLarge(label);
    }
    byte[] jar;
    try {
      jar = readAll(new FileInputStream(file), MAX_BYTES, label);
    } catch (IOException e) {
      throw new BundleException("cannot read " + label + " (" + e.getMessage()
          + "): make it readable by this user (chmod a+r) or pass another copy", e);
    }
    return read(jar, label);
  }

  public static Bundle read(byte[] jar) throws BundleException {
    return read(jar, "bundle");
  }

  private static Bundle read(byte[] jar, String label) throws BundleException {
    if (jar.length > MAX_BYTES) {
      throw tooLarge(label);
    }
    Map<String, byte[]> classes = new LinkedHashMap<String, byte[]>();
    BundleManifest manifest = BundleManifest.empty();
    Set<String> paths = new HashSet<String>();
    boolean sawEntry = false;
    long unpacked = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        sawEntry = true;
        String path = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        if (!paths.add(path)) {
          throw new BundleException(label + " holds " + path
              + " twice, so which copy applies is unclear: rebuild it with 'hotpatch diff'");
        }
        byte[] bytes = readAll(zip, MAX_BYTES - unpacked, label);
        unpacked += bytes.length;
        if (path.equals(BundleManifest.PATH)) {
          manifest = BundleManifest.fromProperties(WireFormat.decode(new String(bytes, "ISO-8859-1")));
        } else if (path.endsWith(".class") && !path.endsWith("module-info.class")) {
          classes.put(checkedClassName(path, bytes), bytes);
        }
      }
    } catch (IOException e) {
      throw new BundleException(label + " is not a valid jar (" + e.getMessage() + "): build it with 'hotpatch diff'", e);
    }
    if (!sawEntry) {
      throw new BundleException(label + " is not a jar (no zip entries): build it with 'hotpatch diff'");
    }
    if (classes.isEmpty()) {
      throw new BundleException(label + " holds no class files: build it with 'hotpatch diff OLD.jar NEW.jar --out BUNDLE'");
    }
    for (String name : manifest.getEntries().keySet()) {
      if (!classes.containsKey(name)) {
        throw new BundleException(label + ": its manifest names " + name
            + " but it has no class file for it: rebuild the bundle");
      }
    }
    return new Bundle(Sha256.hex(jar), classes, manifest);
  }

  private static BundleException tooLarge(String label) {
    return new BundleException(label + " is larger than the " + (MAX_BYTES >> 20)
        + " MiB a bundle may hold: a patch carries only the changed classes; diff the builds again");
  }

  private static String checkedClassName(String path, byte[] bytes) throws BundleException {
    String expected = path.substring(0, path.length() - ".class".length());
    String actual;
    try {
      actual = new ClassReader(bytes).getClassName();
    } catch (RuntimeException e) {
      throw new BundleException("bundle entry " + path + " is not a valid class file (" + e + "): rebuild the bundle", e);
    }
    if (!expected.equals(actual)) {
      throw new BundleException("bundle entry " + path + " holds class " + actual + ": class files must sit at their usual paths");
    }
    return actual.replace('/', '.');
  }

  /** Reads at most {@code limit} bytes; closes the stream unless it is a zip entry. */
  private static byte[] readAll(InputStream in, long limit, String label) throws IOException, BundleException {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (out.size() + n > limit) {
          throw tooLarge(label);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } finally {
      if (!(in instanceof ZipInputStream)) {
        in.close();
      }
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
