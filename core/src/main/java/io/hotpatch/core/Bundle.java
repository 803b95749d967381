package io.hotpatch.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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

  public static Bundle read(File file) throws BundleException {
    if (!file.isFile()) {
      throw new BundleException("bundle " + file + " does not exist: pass the path of a bundle jar");
    }
    try {
      return read(readAll(new FileInputStream(file)));
    } catch (IOException e) {
      throw new BundleException("cannot read bundle " + file + ": " + e.getMessage(), e);
    }
  }

  public static Bundle read(byte[] jar) throws BundleException {
    Map<String, byte[]> classes = new LinkedHashMap<String, byte[]>();
    BundleManifest manifest = BundleManifest.empty();
    boolean sawEntry = false;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        sawEntry = true;
        String path = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        byte[] bytes = readAll(zip);
        if (path.equals(BundleManifest.PATH)) {
          manifest = BundleManifest.fromProperties(WireFormat.decode(new String(bytes, "ISO-8859-1")));
        } else if (path.endsWith(".class") && !path.endsWith("module-info.class")) {
          classes.put(checkedClassName(path, bytes), bytes);
        }
      }
    } catch (IOException e) {
      throw new BundleException("bundle is not a valid jar (" + e.getMessage() + "): build it with 'hotpatch diff'", e);
    }
    if (!sawEntry) {
      throw new BundleException("bundle is not a jar (no zip entries): build it with 'hotpatch diff'");
    }
    if (classes.isEmpty()) {
      throw new BundleException("bundle holds no class files: build it with 'hotpatch diff OLD.jar NEW.jar --out BUNDLE'");
    }
    for (String name : manifest.getEntries().keySet()) {
      if (!classes.containsKey(name)) {
        throw new BundleException("bundle manifest names " + name + " but the bundle has no class file for it: rebuild the bundle");
      }
    }
    return new Bundle(Sha256.hex(jar), classes, manifest);
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

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      out.write(buffer, 0, n);
    }
    if (!(in instanceof ZipInputStream)) {
      in.close();
    }
    return out.toByteArray();
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
