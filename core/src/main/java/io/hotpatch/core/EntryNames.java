package io.hotpatch.core;

/**
 * Which entry paths a bundle may hold: relative paths without {@code .} or {@code ..} segments, and
 * for class files a binary name of Java identifiers that matches the path.
 */
final class EntryNames {
  private EntryNames() {}

  /** Refuses a path that could point outside the bundle's own tree. */
  static void checkPath(String label, String path) throws BundleException {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    boolean safe =
        !trimmed.isEmpty()
            && !trimmed.startsWith("/")
            && trimmed.indexOf('\\') < 0
            && trimmed.indexOf('\0') < 0;
    for (String segment : trimmed.split("/", -1)) {
      safe &= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
    }
    if (!safe) {
      throw new BundleException(
          label
              + " has an entry named '"
              + printable(path)
              + "': entry paths must be"
              + " relative, without '.', '..' or empty segments; rebuild the bundle with 'hotpatch diff'");
    }
  }

  /** The binary name ({@code shop/Price$1}) of a class file path, refused unless it is one. */
  static String binaryName(String label, String path) throws BundleException {
    String name = path.substring(0, path.length() - ".class".length());
    String[] segments = name.split("/", -1);
    boolean valid = true;
    for (int i = 0; i < segments.length; i++) {
      boolean last = i == segments.length - 1;
      valid &= isIdentifier(segments[i]) || last && segments[i].equals("package-info");
    }
    if (!valid) {
      throw new BundleException(
          label
              + " entry "
              + printable(path)
              + " is not named after a class: a class file's"
              + " path must be its binary name (Java identifiers separated by '/') plus .class; rebuild the bundle");
    }
    return name;
  }

  private static boolean isIdentifier(String segment) {
    if (segment.isEmpty() || !Character.isJavaIdentifierStart(segment.codePointAt(0))) {
      return false;
    }
    for (int i = 0; i < segment.length(); i = segment.offsetByCodePoints(i, 1)) {
      int c = segment.codePointAt(i);
      if (!Character.isJavaIdentifierPart(c) || Character.isIdentifierIgnorable(c)) {
        return false;
      }
    }
    return true;
  }

  /** The path as it can be shown on one line. */
  private static String printable(String path) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.length() && out.length() < 200; i++) {
      char c = path.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return out.toString();
  }
}
