package launch;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Starts an application laid out as a Quarkus fast jar ({@code quarkus-app/}: {@code quarkus-run.jar}
 * holding no class, only a manifest naming this launcher in {@code lib/boot/}, the build's transformed and generated classes in {@code quarkus/}, the
 * application in {@code app/}, its libraries in {@code lib/main/}), all loaded by one runtime loader
 * in that order.
 */
public final class DirectoryLauncher {
  public static void main(String[] args) throws Exception {
    Path boot = Path.of(DirectoryLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path root = boot.getParent().getParent().getParent();
    Path runner = root.resolve("quarkus-run.jar");
    List<URL> jars = new ArrayList<>();
    for (String dir : new String[] {"quarkus", "app", "lib/main"}) {
      if (Files.isDirectory(root.resolve(dir))) {
        try (Stream<Path> files = Files.list(root.resolve(dir))) {
          for (Path jar : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar")).sorted()::iterator) {
            jars.add(jar.toUri().toURL());
          }
        }
      }
    }
    String startClass;
    try (JarFile self = new JarFile(runner.toFile())) {
      startClass = self.getManifest().getMainAttributes().getValue("Start-Class");
    }
    ClassLoader loader = new URLClassLoader("Quarkus Runtime ClassLoader", jars.toArray(new URL[0]),
        ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    loader.loadClass(startClass).getMethod("main", String[].class).invoke(null, (Object) args);
  }
}
