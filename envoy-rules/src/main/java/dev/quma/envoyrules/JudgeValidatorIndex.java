package dev.quma.envoyrules;

import io.envoyproxy.pgv.Validator;
import io.envoyproxy.pgv.ValidatorImpl;
import io.envoyproxy.pgv.ValidatorIndex;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the generated validator of a message class, as PGV's reflective index does ({@code
 * OuterMessage} + {@code Validator}), but through this module's class loader rather than the
 * message's. Under Quarkus' test class loading the message classes come from a parent loader that
 * does not hold this module; a validator found through it would not recognise them.
 */
final class JudgeValidatorIndex implements ValidatorIndex {
  private final Map<Class<?>, Validator<?>> validators = new ConcurrentHashMap<>();

  @Override
  @SuppressWarnings("unchecked")
  public <T> Validator<T> validatorFor(Class clazz) {
    return (Validator<T>) validators.computeIfAbsent(clazz, this::find);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Validator<?> find(Class<?> clazz) {
    Class<?> outer = clazz;
    while (outer.getEnclosingClass() != null) {
      outer = outer.getEnclosingClass();
    }
    Class<?> generated;
    try {
      generated = Class.forName(outer.getName() + "Validator", true, getClass().getClassLoader());
    } catch (ClassNotFoundException e) {
      return Validator.ALWAYS_VALID; // a package without generated rules
    }
    ValidatorImpl impl;
    try {
      impl = (ValidatorImpl) generated.getMethod("validatorFor", Class.class).invoke(null, clazz);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot use " + generated.getName(), e);
    }
    if (impl == null) {
      throw new IllegalStateException(
          generated.getName() + " does not know " + clazz + " (two class loaders?)");
    }
    return message -> impl.assertValid(message, this);
  }
}
