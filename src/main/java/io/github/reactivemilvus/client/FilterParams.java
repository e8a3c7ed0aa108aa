package io.github.reactivemilvus.client;

import com.google.protobuf.ByteString;
import io.github.reactivemilvus.proto.BoolArray;
import io.github.reactivemilvus.proto.DoubleArray;
import io.github.reactivemilvus.proto.JSONArray;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.StringArray;
import io.github.reactivemilvus.proto.TemplateArrayValue;
import io.github.reactivemilvus.proto.TemplateArrayValueArray;
import io.github.reactivemilvus.proto.TemplateValue;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The values of a filter template ({@code expr_template_values}): a filter names a value as
 * {@code {name}} and the value travels apart from the expression, typed, so user input can never
 * change the expression. Checks a value's type when it is added (not when the request is sent).
 */
final class FilterParams {
  private FilterParams() {}

  /** Checks that {@code value} can travel as a template value; returns it (lists copied). */
  static Object check(String name, Object value) {
    try {
      encode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("filter parameter '" + name + "': " + e.getMessage(), e);
    }
    return value;
  }

  /** The wire form of every parameter. */
  static Map<String, TemplateValue> encode(Map<String, Object> params) {
    Map<String, TemplateValue> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, encode(v)));
    return out;
  }

  static TemplateValue encode(@Nullable Object v) {
    TemplateValue.Builder b = TemplateValue.newBuilder();
    if (v instanceof Boolean x) {
      return b.setBoolVal(x).build();
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return b.setInt64Val(((Number) v).longValue()).build();
    }
    if (v instanceof Double || v instanceof Float) {
      return b.setFloatVal(((Number) v).doubleValue()).build();
    }
    if (v instanceof CharSequence || v instanceof Character) {
      return b.setStringVal(v.toString()).build();
    }
    List<Object> list = asList(v);
    if (list != null) {
      return b.setArrayVal(array(list)).build();
    }
    throw new IllegalArgumentException("a template value is a Boolean, an integer (Byte to Long), a Float or Double, "
        + "a String, or a List or array of them; got " + (v == null ? "null" : v.getClass().getName()));
  }

  private static TemplateArrayValue array(List<Object> list) {
    TemplateArrayValue.Builder b = TemplateArrayValue.newBuilder();
    if (list.isEmpty()) {
      return b.build();
    }
    if (list.stream().allMatch(e -> e instanceof Boolean)) {
      BoolArray.Builder a = BoolArray.newBuilder();
      list.forEach(e -> a.addData((Boolean) e));
      return b.setBoolData(a).build();
    }
    if (list.stream().allMatch(e -> e instanceof Long || e instanceof Integer || e instanceof Short || e instanceof Byte)) {
      LongArray.Builder a = LongArray.newBuilder();
      list.forEach(e -> a.addData(((Number) e).longValue()));
      return b.setLongData(a).build();
    }
    if (list.stream().allMatch(e -> e instanceof Number)) {
      DoubleArray.Builder a = DoubleArray.newBuilder();
      list.forEach(e -> a.addData(((Number) e).doubleValue()));
      return b.setDoubleData(a).build();
    }
    if (list.stream().allMatch(e -> e instanceof CharSequence || e instanceof Character)) {
      StringArray.Builder a = StringArray.newBuilder();
      list.forEach(e -> a.addData(e.toString()));
      return b.setStringData(a).build();
    }
    if (list.stream().allMatch(e -> asList(e) != null)) {
      TemplateArrayValueArray.Builder a = TemplateArrayValueArray.newBuilder();
      list.forEach(e -> a.addData(array(java.util.Objects.requireNonNull(asList(e)))));
      return b.setArrayData(a).build();
    }
    // mixed element types travel as JSON, as pymilvus sends them
    JSONArray.Builder a = JSONArray.newBuilder();
    for (Object e : list) {
      encode(e); // each element must itself be a template value
      a.addData(ByteString.copyFrom(Json.write(e), StandardCharsets.UTF_8));
    }
    return b.setJsonData(a).build();
  }

  private static @Nullable List<Object> asList(@Nullable Object v) {
    if (v instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    if (v != null && v.getClass().isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < Array.getLength(v); i++) {
        out.add(Array.get(v, i));
      }
      return out;
    }
    return null;
  }
}
