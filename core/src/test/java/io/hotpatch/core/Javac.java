package io.hotpatch.core;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.ToolProvider;

/**
 * Compiles one source file with the JDK's javac into a scratch directory, for tests on real class
 * files.
 */
final class Javac {
  private Javac() {}

  /** Every class file javac writes for {@code source} (inner classes too), by binary name. */
  static Map<String, byte[]> compile(
      Path scratch, String className, String source, String... options) {
    try {
      Path work = Files.createTempDirectory(scratch, "javac");
      Path file = work.resolve("src/" + className.replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.write(file, source.getBytes(StandardCharsets.UTF_8));
      Path out = Files.createDirectories(work.resolve("out"));
      List<String> args = new ArrayList<String>(Arrays.asList(options));
      args.addAll(Arrays.asList("-d", out.toString(), file.toString()));
      ByteArrayOutputStream errors = new ByteArrayOutputStream();
      int exit =
          ToolProvider.getSystemJavaCompiler()
              .run(null, null, new PrintStream(errors, true, "UTF-8"), args.toArray(new String[0]));
      if (exit != 0) {
        throw new IllegalArgumentException(
            "javac failed: " + new String(errors.toByteArray(), StandardCharsets.UTF_8));
      }
      Map<String, byte[]> classes = new TreeMap<String, byte[]>();
      for (File classFile : listClassFiles(out.toFile(), new ArrayList<File>())) {
        String relative = out.relativize(classFile.toPath()).toString();
        classes.put(
            relative
                .substring(0, relative.length() - ".class".length())
                .replace(File.separatorChar, '.'),
            Files.readAllBytes(classFile.toPath()));
      }
      return classes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<File> listClassFiles(File dir, List<File> found) {
    for (File child : dir.listFiles()) {
      if (child.isDirectory()) {
        listClassFiles(child, found);
      } else if (child.getName().endsWith(".class")) {
        found.add(child);
      }
    }
    return found;
  }
}
