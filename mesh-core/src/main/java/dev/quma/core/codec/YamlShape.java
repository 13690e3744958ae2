package dev.quma.core.codec;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * What YAML may carry into a resource beyond JSON's data model, checked on the parser's events
 * before the document is read: nothing. Aliases ({@code *a}) are refused, since the reader would
 * store the anchor's name in their place; so are keys that YAML reads as something other than a
 * string ({@code 1:}, {@code true:}, {@code on:}, {@code ~:}, a list), which Kuma's decoder would
 * turn into other keys; so are explicit tags and second documents.
 */
final class YamlShape {
  private YamlShape() {}

  private static final Resolver RESOLVER = new Resolver();

  /** Throws a {@link MalformedResourceException} saying what is not allowed, and where. */
  static void check(byte[] body) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Reader reader = new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8);
    // Each open mapping: true while its next node is a key.
    Deque<boolean[]> mappings = new ArrayDeque<>();
    Deque<Boolean> collections = new ArrayDeque<>();
    int documents = 0;
    try {
      for (Event event : new Yaml(options).parse(reader)) {
        if (event instanceof DocumentStartEvent && ++documents > 1) {
          throw refused(event, "only one YAML document may be sent (found a second '---')");
        }
        if (event instanceof AliasEvent alias) {
          throw refused(
              event,
              "YAML aliases (*"
                  + alias.getAnchor()
                  + ") are not supported: write the value out where it is used");
        }
        if (!(event instanceof NodeEvent)) {
          if (event.is(Event.ID.MappingEnd) || event.is(Event.ID.SequenceEnd)) {
            if (Boolean.TRUE.equals(collections.pop())) {
              mappings.pop();
            }
          }
          continue;
        }
        boolean isKey = !mappings.isEmpty() && collections.peek() && mappings.peek()[0];
        if (!mappings.isEmpty() && collections.peek()) {
          mappings.peek()[0] = !mappings.peek()[0];
        }
        checkTag(event);
        if (isKey) {
          checkKey(event);
        }
        if (event instanceof MappingStartEvent) {
          collections.push(true);
          mappings.push(new boolean[] {true});
        } else if (event instanceof SequenceStartEvent) {
          collections.push(false);
        }
      }
    } catch (YAMLException e) {
      // The reader reports syntax errors itself, with Jackson's wording; only shape is judged here.
      return;
    }
  }

  private static void checkKey(Event event) {
    if (!(event instanceof ScalarEvent scalar)) {
      throw refused(event, "YAML keys must be strings, not lists or maps");
    }
    if (scalar.isPlain() && scalar.getTag() == null) {
      Tag resolved = RESOLVER.resolve(NodeId.scalar, scalar.getValue(), true);
      if (!Tag.STR.equals(resolved)) {
        throw refused(
            event,
            "the YAML key "
                + (scalar.getValue().isEmpty() ? "(empty)" : scalar.getValue())
                + " is not a string (YAML reads it as "
                + describe(resolved)
                + "): quote it, e.g. \""
                + scalar.getValue()
                + "\":");
      }
    }
  }

  private static void checkTag(Event event) {
    String tag =
        switch (event) {
          case ScalarEvent scalar -> scalar.getTag();
          case CollectionStartEvent collection -> collection.getTag();
          default -> null;
        };
    if (tag != null && !tag.equals("!")) {
      throw refused(event, "YAML tags (" + tag + ") are not supported: write plain values");
    }
  }

  private static String describe(Tag tag) {
    if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
      return "a number";
    }
    if (Tag.BOOL.equals(tag)) {
      return "a boolean";
    }
    if (Tag.NULL.equals(tag)) {
      return "null";
    }
    if (Tag.TIMESTAMP.equals(tag)) {
      return "a timestamp";
    }
    return "something other than a string";
  }

  private static MalformedResourceException refused(Event event, String message) {
    Mark mark = event.getStartMark();
    return new MalformedResourceException(
        "",
        message
            + (mark == null
                ? ""
                : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")"));
  }
}
