package dev.quma.core.validation;

import java.util.ArrayList;
import java.util.List;

/** Collects every violation of a resource; validators never stop at the first. */
public final class Violations {
  private final List<Violation> list = new ArrayList<>();

  public Violations add(FieldPath path, String message) {
    list.add(new Violation(path.text(), message));
    return this;
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public List<Violation> asList() {
    return List.copyOf(list);
  }

  /** Throws a {@link ValidationException} carrying every violation, if there is any. */
  public void throwIfAny() {
    if (!list.isEmpty()) {
      throw new ValidationException(asList());
    }
  }
}
