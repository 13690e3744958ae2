package dev.quma.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Takes a valid document apart: wrong types, missing and unknown fields, deep nesting and large
 * values in the tree; then, on the bytes, truncation, trailing content, broken UTF-8, byte order
 * marks; for YAML, aliases, non-string keys, tags and second documents.
 */
final class BodyMutations {
  private final Random random;
  private final List<String> applied = new ArrayList<>();

  BodyMutations(Random random) {
    this.random = random;
  }

  List<String> applied() {
    return applied;
  }

  /** Mutates a copy of {@code document} {@code count} times in the tree. */
  Object mutateTree(Object document, int count) {
    Object tree = Values.copy(document);
    for (int i = 0; i < count; i++) {
      tree = mutateOnce(tree);
    }
    return tree;
  }

  private Object mutateOnce(Object tree) {
    List<Map<String, Object>> maps = new ArrayList<>();
    collectMaps(tree, maps, 0);
    if (maps.isEmpty()) {
      applied.add("replace root");
      return Values.wrongType(random);
    }
    Map<String, Object> target = maps.get(random.nextInt(maps.size()));
    List<String> keys = new ArrayList<>(target.keySet());
    String key = keys.isEmpty() ? "x" : keys.get(random.nextInt(keys.size()));
    switch (random.nextInt(9)) {
      case 0, 1 -> {
        applied.add("wrong type at " + key);
        target.put(key, Values.wrongType(random));
      }
      case 2 -> {
        applied.add("drop " + key);
        target.remove(key);
      }
      case 3 -> {
        String unknown =
            List.of("unknownField", "1", "on", "true", "~", "Type", "__proto__")
                .get(random.nextInt(7));
        applied.add("add key " + unknown);
        target.put(unknown, Values.wrongType(random));
      }
      case 4 -> {
        int depth = Values.depth(random);
        applied.add("nest " + depth + " at " + key);
        target.put(key, Values.nested(random, depth));
      }
      case 5 -> {
        applied.add("hostile value at " + key);
        target.put(key, Names.pick(random, Names.HOSTILE_VALUES));
      }
      case 6 -> {
        applied.add("list of 5000 at " + key);
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
          many.add(Documents.map("port", i, "tags", Documents.map("kuma.io/service", "s" + i)));
        }
        target.put(key, many);
      }
      case 7 -> {
        applied.add("quoted number at " + key);
        target.put(key, String.valueOf(random.nextInt(70000)));
      }
      default -> {
        applied.add("null at " + key);
        target.put(key, null);
      }
    }
    return tree;
  }

  @SuppressWarnings("unchecked")
  private static void collectMaps(Object node, List<Map<String, Object>> out, int depth) {
    if (depth > 12) {
      return;
    }
    if (node instanceof Map<?, ?> map) {
      out.add((Map<String, Object>) map);
      map.values().forEach(v -> collectMaps(v, out, depth + 1));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> collectMaps(v, out, depth + 1));
    }
  }

  /** YAML-only shapes, put into the tree before it is written as YAML. */
  @SuppressWarnings("unchecked")
  Object yamlShapes(Object tree) {
    if (!(tree instanceof Map<?, ?> root) || root.isEmpty()) {
      return tree;
    }
    Map<String, Object> map = (Map<String, Object>) root;
    String first = map.keySet().iterator().next();
    switch (random.nextInt(5)) {
      case 0 -> {
        applied.add("yaml alias");
        Object value = map.get(first);
        map.put(
            first, new Json.Raw("&anchor " + Json.write(value == null ? "x" : value.toString())));
        List<Map<String, Object>> maps = new ArrayList<>();
        collectMaps(tree, maps, 0);
        Map<String, Object> target = maps.get(random.nextInt(maps.size()));
        target.put(
            target.isEmpty() ? "x" : target.keySet().iterator().next(), new Json.Raw("*anchor"));
      }
      case 1 -> {
        applied.add("yaml merge key");
        map.put("<<", new Json.Raw("*nothing"));
      }
      case 2 -> {
        applied.add("yaml tag");
        map.put(
            first,
            new Json.Raw(
                List.of("!!binary aGk=", "!!python/object:os.system x", "!!int \"12\"", "!custom v")
                    .get(random.nextInt(4))));
      }
      case 3 -> {
        applied.add("yaml billion laughs");
        map.put("l0", new Json.Raw("&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"));
        map.put("l1", new Json.Raw("&l1 [*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0]"));
        map.put("l2", new Json.Raw("[*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]"));
      }
      default -> {
        applied.add("yaml complex key");
        map.put("? [a, b]", new Json.Raw("c"));
      }
    }
    return tree;
  }

  /** Byte-level damage to an encoded body. */
  byte[] damage(byte[] body) {
    switch (random.nextInt(9)) {
      case 0 -> {
        applied.add("truncated");
        return java.util.Arrays.copyOf(body, body.length == 0 ? 0 : random.nextInt(body.length));
      }
      case 1 -> {
        applied.add("trailing content");
        return concat(
            body,
            bytes(List.of(" {}", "\n---\nname: x\n", " garbage", "]", ",").get(random.nextInt(5))));
      }
      case 2 -> {
        applied.add("invalid UTF-8");
        byte[] out = body.clone();
        if (out.length > 0) {
          out[random.nextInt(out.length)] = (byte) (0x80 + random.nextInt(0x7f));
        }
        return concat(out, new byte[] {(byte) 0xc3, (byte) 0x28});
      }
      case 3 -> {
        applied.add("byte order mark");
        return concat(
            List.of(
                    new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                    new byte[] {(byte) 0xfe, (byte) 0xff},
                    new byte[] {(byte) 0xff, (byte) 0xfe, 0, 0})
                .get(random.nextInt(3)),
            body);
      }
      case 4 -> {
        applied.add("NUL bytes");
        return concat(new byte[] {0, 0, 0}, body);
      }
      case 5 -> {
        applied.add("empty body");
        return List.of(
                new byte[0],
                bytes(" "),
                bytes("\n\t\n"),
                bytes("null"),
                bytes("[]"),
                bytes("\"x\""),
                bytes("~"))
            .get(random.nextInt(7))
            .clone();
      }
      case 6 -> {
        applied.add("duplicate key");
        String text = new String(body, StandardCharsets.UTF_8);
        return bytes(text.replaceFirst("\\{", "{\"name\":\"dup\",\"name\":\"dup2\","));
      }
      case 7 -> {
        applied.add("large body");
        return concat(body, bytes(" ".repeat(1_100_000)));
      }
      default -> {
        applied.add("not a document");
        return bytes(
            List.of(
                    "<xml/>",
                    "name=x&mesh=y",
                    "\u0000\u0001\u0002",
                    "{{{{",
                    "- - - -",
                    "'unclosed",
                    "a: b: c",
                    "\t- x")
                .get(random.nextInt(8)));
      }
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
