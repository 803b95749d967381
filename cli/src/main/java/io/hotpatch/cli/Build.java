package io.hotpatch.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The class files of one build by binary name, where each came from, and what reading it noticed.
 */
final class Build {
  private final SortedMap<String, byte[]> classes = new TreeMap<>();
  private final Map<String, String> sources = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private int archives;

  /**
   * Keeps the first copy of a class; returns where the first copy came from when this is a second
   * one.
   */
  String add(String name, byte[] bytes, String where) {
    String first = sources.putIfAbsent(name, where);
    if (first == null) {
      classes.put(name, bytes);
    }
    return first;
  }

  void warn(String warning) {
    warnings.add(warning);
  }

  void archiveRead() {
    archives++;
  }

  SortedMap<String, byte[]> classes() {
    return classes;
  }

  List<String> warnings() {
    return warnings;
  }

  /** Jars and class directories read, nested jars included. */
  int archives() {
    return archives;
  }
}
