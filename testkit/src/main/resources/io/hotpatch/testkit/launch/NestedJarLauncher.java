package launch;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/**
 * Starts an application packed the way Spring Boot packs a fat jar (or an executable WAR): its own
 * classes under one directory of this jar, its libraries as jars nested in another, all loaded by one
 * class loader that reads the nested jars in place and names its class files with Spring Boot's
 * {@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/a/B.class} URLs.
 */
public final class NestedJarLauncher {
  public static void main(String[] args) throws Exception {
    Path self = Path.of(NestedJarLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, Resource> resources = new HashMap<>();
    String startClass;
    try (JarFile jar = new JarFile(self.toFile())) {
      Attributes manifest = jar.getManifest().getMainAttributes();
      startClass = manifest.getValue("Start-Class");
      String classes = manifest.getValue("Launcher-Classes");
      String lib = manifest.getValue("Launcher-Lib");
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        if (entry.getName().startsWith(classes)) {
          String path = entry.getName().substring(classes.length());
          resources.putIfAbsent(path, new Resource(classes, jar.getInputStream(entry).readAllBytes()));
        } else if (entry.getName().startsWith(lib) && entry.getName().endsWith(".jar")) {
          try (JarInputStream nested = new JarInputStream(jar.getInputStream(entry))) {
            for (JarEntry inner = nested.getNextJarEntry(); inner != null; inner = nested.getNextJarEntry()) {
              if (!inner.isDirectory()) {
                resources.putIfAbsent(inner.getName(), new Resource(entry.getName(), nested.readAllBytes()));
              }
            }
          }
        }
      }
    }
    NestedLoader loader = new NestedLoader(self, resources, NestedJarLauncher.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    loader.loadClass(startClass).getMethod("main", String[].class).invoke(null, (Object) args);
  }

  /** One file of the application and the directory or nested jar it came from. */
  private static final class Resource {
    final String source;
    final byte[] bytes;

    Resource(String source, byte[] bytes) {
      this.source = source;
      this.bytes = bytes;
    }
  }

  /** The application's class loader: class files from the nested jars, resources as nested: URLs. */
  static final class NestedLoader extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final Path archive;
    private final Map<String, Resource> resources;

    NestedLoader(Path archive, Map<String, Resource> resources, ClassLoader parent) {
      super("nested-jar-launcher", parent);
      this.archive = archive;
      this.resources = resources;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      String path = name.replace('.', '/') + ".class";
      Resource resource = resources.get(path);
      if (resource == null) {
        throw new ClassNotFoundException(name);
      }
      CodeSource source = new CodeSource(url(resource.source, ""), (Certificate[]) null);
      return defineClass(name, resource.bytes, 0, resource.bytes.length, new ProtectionDomain(source, null, this, null));
    }

    @Override
    protected URL findResource(String path) {
      Resource resource = resources.get(path);
      return resource == null ? null : url(resource.source, path);
    }

    private URL url(String source, String path) {
      Resource resource = resources.get(path);
      String spec = "jar:nested:" + archive + "/!" + source + (source.endsWith(".jar") ? "!/" : "") + path;
      try {
        return new URL(null, spec, new URLStreamHandler() {
          @Override
          protected URLConnection openConnection(URL url) {
            return new URLConnection(url) {
              @Override
              public void connect() {}

              @Override
              public InputStream getInputStream() {
                return new ByteArrayInputStream(resource == null ? new byte[0] : resource.bytes);
              }
            };
          }
        });
      } catch (java.net.MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
