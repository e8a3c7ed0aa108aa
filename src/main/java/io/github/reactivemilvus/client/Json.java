package io.github.reactivemilvus.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * JSON for Milvus JSON fields, the dynamic field and request parameters, through Jackson: objects
 * read as {@link LinkedHashMap}, arrays as {@link ArrayList}, integers as {@link Long} (or
 * {@link BigInteger}), other numbers as {@link Double} ({@code 2.0} stays a Double and is written
 * {@code 2.0}). Nesting deeper than {@link #MAX_DEPTH} fails both ways; NaN and infinities are
 * refused (JSON has none), and so are values the hand-written writer refused (byte[], beans,
 * non-String keys).
 */
final class Json {
  /** The deepest nesting of objects and arrays read or written. */
  static final int MAX_DEPTH = 64;

  static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
          .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
          .build())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .build();

  private Json() {}

  /** {@code value} as JSON text; a value JSON cannot hold throws {@link IllegalArgumentException}. */
  static String write(@Nullable Object value) {
    check(value, 0);
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not representable as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Refuses what the JSON columns never held before Jackson (beans, byte[], non-String keys), so a
   * row's meaning does not depend on how Jackson would serialise an arbitrary object.
   */
  private static void check(@Nullable Object value, int depth) {
    if (value instanceof Double d) {
      finite(d);
      return;
    }
    if (value instanceof Float f) {
      finite(f);
      return;
    }
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
      return;
    }
    if (depth >= MAX_DEPTH) {
      throw new IllegalArgumentException("not representable as JSON: nested deeper than " + MAX_DEPTH);
    }
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("a JSON object key must be a String, was " + typeName(e.getKey()));
        }
        check(e.getValue(), depth + 1);
      }
    } else if (value instanceof Iterable<?> c) {
      for (Object o : c) {
        check(o, depth + 1);
      }
    } else if (value instanceof Object[] a) {
      for (Object o : a) {
        check(o, depth + 1);
      }
    } else if (value instanceof double[] a) {
      for (double d : a) {
        finite(d);
      }
    } else if (value instanceof float[] a) {
      for (float f : a) {
        finite(f);
      }
    } else if (!value.getClass().isArray() || value instanceof byte[] || value instanceof char[]) {
      throw new IllegalArgumentException("not representable as JSON: " + typeName(value));
    }
  }

  private static void finite(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("JSON has no " + d);
    }
  }

  /** The JSON text's value; malformed or too deep text throws {@link IllegalArgumentException}. */
  static @Nullable Object read(String text) {
    try (JsonParser p = MAPPER.createParser(text)) {
      if (p.nextToken() == null) {
        throw new IllegalArgumentException("invalid JSON: no content");
      }
      Object value = value(p);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("invalid JSON: trailing content after the value");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value at the parser's current token: whole numbers as Long (BigInteger beyond), others as Double. */
  private static @Nullable Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          m.put(key, value(p));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IllegalArgumentException("invalid JSON: unexpected " + t);
    }
  }

  /** {@code row} as an instance of {@code type}, by Jackson's conversion (fields by name). */
  static <T> T convert(Map<String, Object> row, Class<T> type) {
    try {
      return MAPPER.convertValue(row, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot map a row to " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /** A mapper from rows to {@code type}. */
  static <T> Function<Map<String, Object>, T> converter(Class<T> type) {
    return row -> convert(row, type);
  }

  static String typeName(@Nullable Object o) {
    return o == null ? "null" : o.getClass().getName();
  }
}
