package io.hotpatch.sidecar;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A java launcher command line split into the JVM options and what it runs (main class, jar or
 * module).
 */
record JvmCommandLine(List<String> options, String main) {
  /** Launcher options whose value is the next argument. */
  private static final Set<String> OPTIONS_WITH_VALUE =
      Set.of(
          "-cp",
          "-classpath",
          "--class-path",
          "-p",
          "--module-path",
          "--upgrade-module-path",
          "--add-modules",
          "--limit-modules",
          "--add-reads",
          "--add-exports",
          "--add-opens",
          "--patch-module",
          "--enable-native-access",
          "--source");

  /** Environment variables the launcher or the JVM read options from, in the order they apply. */
  private static final List<String> OPTION_VARIABLES_BEFORE =
      List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

  private static final String OPTION_VARIABLE_AFTER = "_JAVA_OPTIONS";

  private static final String VM_OPTIONS_FILE = "-XX:VMOptionsFile=";

  /**
   * Splits a command line, expanding {@code @argfiles} and {@code -XX:VMOptionsFile=} files that
   * {@code files} can read (by the path the process gave).
   */
  static JvmCommandLine parse(List<String> argv, Function<String, Optional<String>> files) {
    List<String> options = new ArrayList<>();
    String main = argv.isEmpty() ? "" : argv.get(0);
    Deque<String> args = new ArrayDeque<>(argv.subList(Math.min(1, argv.size()), argv.size()));
    while (!args.isEmpty()) {
      String arg = args.pop();
      if (arg.startsWith("@") && !arg.startsWith("@@")) {
        Optional<String> content = files.apply(arg.substring(1));
        if (content.isPresent()) {
          List<String> expanded = tokens(content.get());
          for (int i = expanded.size() - 1; i >= 0; i--) {
            args.push(expanded.get(i));
          }
        } else {
          options.add(arg); // unreadable: it may hold options or the main class; keep looking
        }
        continue;
      }
      if (arg.equals("-jar") || arg.equals("-m") || arg.equals("--module")) {
        main = args.isEmpty() ? "" : args.pop();
        break;
      }
      if (arg.startsWith("--module=")) {
        main = arg.substring("--module=".length());
        break;
      }
      if (!arg.startsWith("-")) {
        main = arg;
        break;
      }
      options.add(arg);
      if (arg.startsWith(VM_OPTIONS_FILE)) {
        files
            .apply(arg.substring(VM_OPTIONS_FILE.length()))
            .map(JvmCommandLine::tokens)
            .ifPresent(options::addAll);
      }
      if (OPTIONS_WITH_VALUE.contains(arg) && !args.isEmpty()) {
        options.add(args.pop());
      }
    }
    return new JvmCommandLine(List.copyOf(options), main);
  }

  /**
   * The options the JVM ends up with: option variables of the environment around the command line.
   */
  List<String> effectiveOptions(Map<String, String> environment) {
    List<String> all = new ArrayList<>();
    for (String variable : OPTION_VARIABLES_BEFORE) {
      all.addAll(words(environment.get(variable)));
    }
    all.addAll(options);
    all.addAll(words(environment.get(OPTION_VARIABLE_AFTER)));
    return all;
  }

  /** The last setting of {@code -XX:+name} / {@code -XX:-name} in {@code options}, if any. */
  static Optional<Boolean> booleanFlag(List<String> options, String name) {
    Optional<Boolean> value = Optional.empty();
    for (String option : options) {
      if (option.equals("-XX:+" + name)) {
        value = Optional.of(true);
      } else if (option.equals("-XX:-" + name)) {
        value = Optional.of(false);
      }
    }
    return value;
  }

  /** Splits an option file into arguments: whitespace separates, quotes group, # comments. */
  static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    StringBuilder token = null;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          token.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        token = token == null ? new StringBuilder() : token;
      } else if (Character.isWhitespace(c)) {
        if (token != null) {
          tokens.add(token.toString());
          token = null;
        }
      } else if (c == '#' && token == null) {
        while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
          i++;
        }
      } else {
        token = token == null ? new StringBuilder() : token;
        token.append(c);
      }
    }
    if (token != null) {
      tokens.add(token.toString());
    }
    return tokens;
  }

  private static List<String> words(String value) {
    return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
  }
}
