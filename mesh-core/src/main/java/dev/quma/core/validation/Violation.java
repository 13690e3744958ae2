package dev.quma.core.validation;

/** One reason a resource is invalid, at a field path in Kuma's notation. */
public record Violation(String field, String message) {}
