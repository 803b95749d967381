package io.hotpatch.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Decides whether a class change is hot-applicable, following HotSpot's redefineClasses
 * (compare_and_normalize_class_versions, JDK 15 and later): method bodies may change; the ordered
 * field list, the set of methods, class, field and method modifiers (for methods every bit but
 * ACC_NATIVE), superclass, interfaces in order, and the nest, record and permitted-subclass
 * attributes may not.
 */
public final class ClassChangeClassifier {
  private static final String[] CLASS_FLAGS = {
    "public",
    "",
    "",
    "",
    "final",
    "super",
    "",
    "",
    "",
    "interface",
    "abstract",
    "",
    "synthetic",
    "annotation",
    "enum",
    "module"
  };
  private static final String[] FIELD_FLAGS = {
    "public",
    "private",
    "protected",
    "static",
    "final",
    "",
    "volatile",
    "transient",
    "",
    "",
    "",
    "",
    "synthetic",
    "",
    "enum",
    ""
  };
  private static final String[] METHOD_FLAGS = {
    "public",
    "private",
    "protected",
    "static",
    "final",
    "synchronized",
    "bridge",
    "varargs",
    "native",
    "",
    "abstract",
    "strict",
    "synthetic",
    "",
    "",
    ""
  };

  private ClassChangeClassifier() {}

  public static ClassChange classify(byte[] original, byte[] replacement) {
    if (ClassDigest.of(original).equals(ClassDigest.of(replacement))) {
      return new ClassChange(false, new ArrayList<String>(), new ArrayList<String>());
    }
    return classifyChanged(original, replacement);
  }

  /**
   * As {@link #classify}, for two versions whose {@link ClassDigest}s the caller already found
   * different: skips digesting them again.
   */
  public static ClassChange classifyChanged(byte[] original, byte[] replacement) {
    ClassShape before = ClassShape.of(original);
    ClassShape after = ClassShape.of(replacement);
    List<String> reasons = new ArrayList<String>();
    List<String> warnings = new ArrayList<String>();
    if (!before.name.equals(after.name)) {
      reasons.add("class name changed from " + dotted(before.name) + " to " + dotted(after.name));
    }
    if (before.access != after.access) {
      reasons.add(
          "class modifiers changed from "
              + flags(before.access, CLASS_FLAGS)
              + " to "
              + flags(after.access, CLASS_FLAGS));
    }
    if (!equal(before.superName, after.superName)) {
      reasons.add(
          "superclass changed from " + dotted(before.superName) + " to " + dotted(after.superName));
    }
    if (!before.interfaces.equals(after.interfaces)) {
      reasons.add(
          "interfaces changed from "
              + dottedList(before.interfaces)
              + " to "
              + dottedList(after.interfaces));
    }
    compareFields(before, after, reasons, warnings);
    compareMethods(before, after, reasons);
    if (!before.nestHost.equals(after.nestHost) || !before.nestMembers.equals(after.nestMembers)) {
      reasons.add(
          "nest attributes (NestHost/NestMembers) changed, e.g. an inner or anonymous class was added or removed");
    }
    if (!before.recordComponents.equals(after.recordComponents)) {
      reasons.add("record components changed");
    }
    if (!before.permittedSubclasses.equals(after.permittedSubclasses)) {
      reasons.add("permitted subclasses changed");
    }
    return new ClassChange(true, reasons, warnings);
  }

  private static void compareFields(
      ClassShape before, ClassShape after, List<String> reasons, List<String> warnings) {
    String owner = dotted(after.name);
    boolean sameSet = before.fields.keySet().equals(after.fields.keySet());
    for (Map.Entry<String, ClassShape.Member> field : before.fields.entrySet()) {
      ClassShape.Member now = after.fields.get(field.getKey());
      if (now == null) {
        reasons.add("field removed: " + field(field.getKey()));
      } else if (now.access != field.getValue().access) {
        reasons.add(
            "field modifiers changed: "
                + field(field.getKey())
                + " from "
                + flags(field.getValue().access, FIELD_FLAGS)
                + " to "
                + flags(now.access, FIELD_FLAGS));
      } else if (!equal(now.constant, field.getValue().constant)) {
        String name = field.getKey().substring(0, field.getKey().indexOf(' '));
        warnings.add(
            "compile-time constant "
                + owner
                + "."
                + name
                + " changed from "
                + field.getValue().constant
                + " to "
                + now.constant
                + ": other classes may have inlined the old value; rebuild and patch them too");
      }
    }
    for (String field : after.fields.keySet()) {
      if (!before.fields.containsKey(field)) {
        reasons.add("field added: " + field(field));
      }
    }
    if (sameSet
        && !new ArrayList<String>(before.fields.keySet())
            .equals(new ArrayList<String>(after.fields.keySet()))) {
      reasons.add(
          "fields reordered from "
              + fieldNames(before)
              + " to "
              + fieldNames(after)
              + " (a live JVM compares fields in declaration order)");
    }
  }

  private static void compareMethods(ClassShape before, ClassShape after, List<String> reasons) {
    for (Map.Entry<String, ClassShape.Member> method : before.methods.entrySet()) {
      ClassShape.Member now = after.methods.get(method.getKey());
      if (now == null) {
        reasons.add("method removed or signature changed: " + method(method.getKey()));
      } else if (((now.access ^ method.getValue().access) & ~Opcodes.ACC_NATIVE) != 0) {
        reasons.add(
            "method modifiers changed: "
                + method(method.getKey())
                + " from "
                + flags(method.getValue().access, METHOD_FLAGS)
                + " to "
                + flags(now.access, METHOD_FLAGS));
      }
    }
    for (Map.Entry<String, ClassShape.Member> method : after.methods.entrySet()) {
      if (before.methods.containsKey(method.getKey())) {
        continue;
      }
      boolean synthetic =
          (method.getValue().access & Opcodes.ACC_SYNTHETIC) != 0
              || method.getKey().startsWith("lambda$");
      reasons.add(
          (synthetic ? "lambda or other synthetic method added: " : "method added: ")
              + method(method.getKey()));
    }
  }

  /** Modifier bits as words, for example {@code 'private static synthetic'}. */
  private static String flags(int access, String[] names) {
    StringBuilder out = new StringBuilder();
    for (int bit = 0; bit < names.length; bit++) {
      if ((access & (1 << bit)) != 0) {
        out.append(out.length() == 0 ? "" : " ")
            .append(names[bit].isEmpty() ? "0x" + Integer.toHexString(1 << bit) : names[bit]);
      }
    }
    return "'" + out + "'";
  }

  private static List<String> fieldNames(ClassShape shape) {
    List<String> names = new ArrayList<String>();
    for (String key : shape.fields.keySet()) {
      names.add(key.substring(0, key.indexOf(' ')));
    }
    return names;
  }

  private static String field(String key) {
    int space = key.indexOf(' ');
    return Type.getType(key.substring(space + 1)).getClassName() + " " + key.substring(0, space);
  }

  private static String method(String key) {
    int paren = key.indexOf('(');
    Type type = Type.getMethodType(key.substring(paren));
    StringBuilder out =
        new StringBuilder(type.getReturnType().getClassName())
            .append(' ')
            .append(key, 0, paren)
            .append('(');
    Type[] args = type.getArgumentTypes();
    for (int i = 0; i < args.length; i++) {
      out.append(i == 0 ? "" : ", ").append(args[i].getClassName());
    }
    return out.append(')').toString();
  }

  private static String dotted(String internalName) {
    return internalName == null ? "none" : internalName.replace('/', '.');
  }

  private static String dottedList(List<String> names) {
    List<String> out = new ArrayList<String>();
    for (String name : names) {
      out.add(dotted(name));
    }
    return out.toString();
  }

  private static boolean equal(Object a, Object b) {
    return a == null ? b == null : a.equals(b);
  }
}
