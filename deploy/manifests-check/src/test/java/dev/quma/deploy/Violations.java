package dev.quma.deploy;

import java.util.ArrayList;
import java.util.List;

/** Every rule's findings, collected so one run reports them all. */
final class Violations {
  private final List<String> found = new ArrayList<>();

  void add(String where, String what) {
    found.add(where + ": " + what);
  }

  List<String> all() {
    return List.copyOf(found);
  }
}
