package dev.quma.envoyrules;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.ValidationException;
import io.envoyproxy.pgv.Validator;
import io.envoyproxy.pgv.ValidatorIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Envoy's field rules (its protos' protoc-gen-validate annotations) applied to one resource, the
 * way Envoy applies them: to the message, and to every message it holds in an {@code Any}.
 *
 * <p>A PGV validator stops at the first broken rule of a message, and a message's validator also
 * runs those of the messages it holds. To report every broken rule, each message in the tree is
 * validated on its own, deepest first, and a failure its parent merely repeats is not reported
 * again.
 */
final class FieldRules {
  private static final ValidatorIndex INDEX = new JudgeValidatorIndex();

  private final String resource;
  private final List<Violation> violations = new ArrayList<>();

  private FieldRules(String resource) {
    this.resource = resource;
  }

  static List<Violation> check(String resource, Message message) {
    FieldRules rules = new FieldRules(resource);
    rules.visitTop(message, "");
    return rules.violations;
  }

  /**
   * A resource, or what an Any holds: its type must have a generated validator, or a class loader
   * that cannot see the validators (or a package left out of the generation) would pass everything
   * unseen.
   */
  private void visitTop(Message message, String path) {
    if (validatorMissing(message)) {
      violations.add(
          new Violation(
              resource,
              path,
              "no validator generated for " + message.getDescriptorForType().getFullName()));
      return;
    }
    visit(message, path);
  }

  /** Checks the tree under {@code message}; returns the failures reported in it. */
  private Set<String> visit(Message message, String path) {
    Set<String> below = new HashSet<>();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      if (descriptor.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String fieldPath = join(path, descriptor.getName());
      if (descriptor.isRepeated()) {
        List<?> values = (List<?>) field.getValue();
        for (int i = 0; i < values.size(); i++) {
          below.addAll(
              visitValue((Message) values.get(i), fieldPath + index(descriptor, values.get(i), i)));
        }
      } else {
        below.addAll(visitValue((Message) field.getValue(), fieldPath));
      }
    }
    failure(message)
        // A parent's validator runs its children's: the same failure seen again from above.
        .filter(failure -> !below.contains(failure))
        .ifPresent(
            failure -> {
              violations.add(new Violation(resource, path, failure));
              below.add(failure);
            });
    return below;
  }

  private Set<String> visitValue(Message value, String path) {
    if (value instanceof Any any) {
      return visitAny(any, path);
    }
    if (value instanceof MapEntry<?, ?> entry) {
      return entry.getValue() instanceof Message held ? visitValue(held, path) : Set.of();
    }
    return visit(value, path);
  }

  /** What Envoy validates an Any by: the message inside it (its failures are not the Any's). */
  private Set<String> visitAny(Any any, String path) {
    Optional<Message> held;
    try {
      held = KnownTypes.unpack(any);
    } catch (InvalidProtocolBufferException e) {
      violations.add(new Violation(resource, path, "cannot unpack " + any.getTypeUrl()));
      return Set.of();
    }
    if (held.isEmpty()) {
      violations.add(
          new Violation(resource, path, "no rules known for the type " + any.getTypeUrl()));
      return Set.of();
    }
    visitTop(held.get(), path + "(" + held.get().getDescriptorForType().getName() + ")");
    return Set.of();
  }

  private static boolean validatorMissing(Message message) {
    try {
      return INDEX.validatorFor(message.getClass()) == Validator.ALWAYS_VALID;
    } catch (RuntimeException e) {
      return false; // reported when it is run
    }
  }

  /** The first rule of its own (or of what it holds) that {@code message} breaks, if any. */
  @SuppressWarnings("unchecked")
  private static Optional<String> failure(Message message) {
    try {
      INDEX.<Message>validatorFor(message.getClass()).assertValid(message);
      return Optional.empty();
    } catch (ValidationException e) {
      return Optional.of(e.getMessage());
    } catch (RuntimeException e) {
      // Never pass what could not be judged.
      return Optional.of(
          "the judge failed on " + message.getDescriptorForType().getFullName() + ": " + e);
    }
  }

  private static String index(FieldDescriptor descriptor, Object value, int i) {
    if (descriptor.isMapField() && value instanceof MapEntry<?, ?> entry) {
      return "[" + entry.getKey() + "]";
    }
    return "[" + i + "]";
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
