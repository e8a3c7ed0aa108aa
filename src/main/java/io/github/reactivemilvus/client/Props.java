package io.github.reactivemilvus.client;

import io.github.reactivemilvus.proto.KeyValuePair;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Conversions between {@code Map<String, String>} and Milvus key-value lists. */
final class Props {
  private Props() {}

  static List<KeyValuePair> toPairs(Map<String, String> properties) {
    Objects.requireNonNull(properties, "properties");
    return properties.entrySet().stream().map(e -> KeyValuePair.newBuilder()
        .setKey(Objects.requireNonNull(e.getKey(), "property key"))
        .setValue(Objects.requireNonNull(e.getValue(), () -> "value of property " + e.getKey())).build()).toList();
  }

  static Map<String, String> toMap(List<KeyValuePair> pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    pairs.forEach(p -> map.put(p.getKey(), p.getValue()));
    return java.util.Collections.unmodifiableMap(map);
  }

  /** A non-empty copy of {@code names}, each not null and not blank. */
  static List<String> names(Collection<String> names, String what) {
    Objects.requireNonNull(names, what);
    List<String> copy = List.copyOf(names);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    copy.forEach(n -> requireName(n, what));
    return copy;
  }

  static String requireName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (name.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return name;
  }
}
