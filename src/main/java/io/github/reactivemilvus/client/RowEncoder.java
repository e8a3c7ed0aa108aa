package io.github.reactivemilvus.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import io.github.reactivemilvus.proto.ArrayArray;
import io.github.reactivemilvus.proto.BoolArray;
import io.github.reactivemilvus.proto.CollectionSchema;
import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.DoubleArray;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.FloatArray;
import io.github.reactivemilvus.proto.IntArray;
import io.github.reactivemilvus.proto.JSONArray;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.ScalarField;
import io.github.reactivemilvus.proto.SparseFloatArray;
import io.github.reactivemilvus.proto.StringArray;
import io.github.reactivemilvus.proto.StructArrayFieldSchema;
import io.github.reactivemilvus.proto.VectorField;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Rows ({@code Map<String, Object>}) to columnar {@link FieldData} for one collection schema; the
 * schema cache keeps one per collection. Immutable and thread-safe; conversion runs on the
 * caller's thread. {@link RowDecoder} is the other direction.
 */
final class RowEncoder {
  static final String DYNAMIC_FIELD = "$meta";

  private final CollectionSchema schema;
  private final Map<String, FieldSchema> byName = new LinkedHashMap<>();
  private final Map<String, StructArrayFieldSchema> structs = new LinkedHashMap<>();
  private final @Nullable FieldSchema primary;
  private final long collectionId;
  /** The names of the fields and the struct fields: a row's keys must be among them unless it has dynamic fields. */
  private final Set<String> known;
  /** {@link #known} as an array, for lookups without an iterator. */
  private final String[] knownNames;

  /** An encoder for a schema not tied to a described collection (collection id 0). */
  RowEncoder(CollectionSchema schema) {
    this(schema, 0);
  }

  RowEncoder(CollectionSchema schema, long collectionId) {
    this.schema = schema;
    this.collectionId = collectionId;
    FieldSchema pk = null;
    for (FieldSchema f : schema.getFieldsList()) {
      byName.put(f.getName(), f);
      if (f.getIsPrimaryKey()) {
        pk = f;
      }
    }
    this.primary = pk;
    for (StructArrayFieldSchema struct : schema.getStructArrayFieldsList()) {
      structs.put(struct.getName(), struct);
    }
    Set<String> names = new HashSet<>(byName.keySet());
    names.addAll(structs.keySet());
    this.known = Set.copyOf(names);
    this.knownNames = names.toArray(new String[0]);
  }

  /** The id of the collection described (0 when not from a description). */
  long collectionId() {
    return collectionId;
  }

  @Nullable FieldSchema primary() {
    return primary;
  }

  /** The primary key field; a collection without one cannot be paged or addressed by id. */
  FieldSchema requirePrimary() {
    if (primary == null) {
      throw new IllegalArgumentException("collection '" + schema.getName() + "' has no primary key field");
    }
    return primary;
  }

  CollectionSchema schema() {
    return schema;
  }

  /**
   * The batch's columns. {@code firstIndex} is the stream index of {@code rows.get(0)}, for
   * messages. On upsert an auto-id primary key must be given; on insert it must not be.
   */
  List<FieldData> encode(List<Map<String, Object>> rows, long firstIndex, boolean upsert) {
    return encode(rows, firstIndex, upsert, false);
  }

  /**
   * As {@link #encode}, for a request about to be sent: FloatVector columns are written straight
   * into their wire form ({@link #wireFloatVectors}), so they serialise to the same bytes at a
   * fraction of the work and memory, but read as empty until serialised and parsed again.
   */
  List<FieldData> encodeForSending(List<Map<String, Object>> rows, long firstIndex, boolean upsert) {
    return encode(rows, firstIndex, upsert, true);
  }

  private List<FieldData> encode(List<Map<String, Object>> rows, long firstIndex, boolean upsert, boolean wire) {
    List<FieldData> columns = new ArrayList<>();
    boolean dynamic = schema.getEnableDynamicField();
    List<FieldSchema> written = new ArrayList<>();
    for (FieldSchema f : schema.getFieldsList()) {
      if (f.getIsDynamic() || f.getIsFunctionOutput() || (f.getAutoID() && !upsert)) {
        continue;
      }
      written.add(f);
    }
    for (FieldSchema f : written) {
      if (!WRITABLE.contains(f.getDataType())) {
        String type = f.getDataType() == DataType.UNRECOGNIZED ? "DataType(" + f.getDataTypeValue() + ")" : f.getDataType().name();
        throw new IllegalArgumentException("collection '" + schema.getName() + "': field '" + f.getName() + "' is of type " + type
            + ", which this client cannot write (nothing of the batch was sent)");
      }
    }
    List<String> guarded = new ArrayList<>(); // fields that must have no value
    for (FieldSchema f : byName.values()) {
      if ((f.getAutoID() && !upsert) || f.getIsFunctionOutput()) {
        guarded.add(f.getName());
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = rows.get(i);
      if (row == null) {
        throw new RowConversionException(firstIndex + i, "(row)", "a Map<String, Object>", "the row is null");
      }
      if (fitsByLookup(row, knownNames, guarded, dynamic)) {
        continue;
      }
      for (String key : row.keySet()) {
        FieldSchema f = byName.get(key);
        if (f != null && f.getAutoID() && !upsert && row.get(key) != null) {
          throw new RowConversionException(firstIndex + i, key, "no value (the server assigns auto_id keys)",
              "a value for an auto_id primary key");
        }
        if (f != null && f.getIsFunctionOutput() && row.get(key) != null) {
          throw new RowConversionException(firstIndex + i, key, "no value (a function computes it)",
              "a value for a function output field");
        }
        if (f == null && !dynamic && !structs.containsKey(key)) {
          throw new RowConversionException(firstIndex + i, key, "one of the schema's fields " + byName.keySet(),
              "unknown field and the collection has no dynamic field");
        }
      }
    }
    for (FieldSchema f : written) {
      columns.add(column(f, rows, firstIndex, wire));
    }
    for (StructArrayFieldSchema struct : structs.values()) {
      columns.add(structColumn(struct, rows, firstIndex));
    }
    if (dynamic) {
      List<ByteString> json = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : rows.get(i).entrySet()) {
          if (!known.contains(e.getKey())) {
            extra.put(e.getKey(), e.getValue());
          }
        }
        try {
          json.add(ByteString.copyFromUtf8(Json.write(extra)));
        } catch (IllegalArgumentException e) {
          throw new RowConversionException(firstIndex + i, DYNAMIC_FIELD, "JSON values (Map, List, String, Number, Boolean, null)",
              e.getMessage());
        }
      }
      columns.add(FieldData.newBuilder().setFieldName(DYNAMIC_FIELD).setType(DataType.JSON).setIsDynamic(true)
          .setScalars(ScalarField.newBuilder().setJsonData(JSONArray.newBuilder().addAllData(json))).build());
    }
    return columns;
  }

  /**
   * Whether the row's keys are all fine, found by lookups alone (no iteration of the row, which
   * for most maps makes an entry object per key): every key is a field or struct, or the collection
   * has a dynamic field, and no field that must stay empty has a value. False sends the row through
   * the key-by-key check, which finds and reports the fault.
   */
  private static boolean fitsByLookup(Map<String, Object> row, String[] known, List<String> guarded, boolean dynamic) {
    for (int g = 0; g < guarded.size(); g++) {
      if (row.get(guarded.get(g)) != null) {
        return false;
      }
    }
    if (dynamic) {
      return true;
    }
    int found = 0;
    for (String name : known) {
      if (row.containsKey(name)) {
        found++;
      }
    }
    return found == row.size();
  }

  /**
   * {@link #estimateBytes} of a row, found by lookups of the schema's fields when the row has no
   * other key (no iteration of the row, which for most maps makes an entry object per key).
   */
  long estimateRowBytes(Map<String, Object> row) {
    long n = 2;
    int found = 0;
    for (String name : knownNames) {
      Object value = row.get(name);
      if (value != null || row.containsKey(name)) {
        found++;
        n += name.length() + 2L + (value == null ? 1 : estimateBytes(value));
      }
    }
    return found == row.size() ? n : estimateBytes(row);
  }

  /** The types this client writes; a field of another type fails the batch before it is sent. */
  private static final Set<DataType> WRITABLE = java.util.EnumSet.of(DataType.Bool, DataType.Int8, DataType.Int16, DataType.Int32,
      DataType.Int64, DataType.Float, DataType.Double, DataType.String, DataType.VarChar, DataType.Array, DataType.JSON,
      DataType.Text, DataType.Timestamptz, DataType.Geometry, DataType.BinaryVector, DataType.FloatVector,
      DataType.Float16Vector, DataType.BFloat16Vector, DataType.SparseFloatVector, DataType.Int8Vector);

  private static FieldData structColumn(StructArrayFieldSchema struct, List<Map<String, Object>> rows, long firstIndex) {
    List<@Nullable Object> values = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) {
      values.add(row.get(struct.getName()));
    }
    try {
      return StructArrays.encode(struct, values);
    } catch (IllegalArgumentException whole) {
      for (int i = 0; i < rows.size(); i++) { // the row at fault, for the message
        try {
          StructArrays.encode(struct, java.util.Collections.singletonList(values.get(i)));
        } catch (IllegalArgumentException e) {
          throw new RowConversionException(firstIndex + i, struct.getName(), "a List of Maps of the struct's sub-fields",
              e.getMessage() != null ? e.getMessage() : "a wrong value");
        }
      }
      throw whole;
    }
  }

  private FieldData column(FieldSchema f, List<Map<String, Object>> rows, long firstIndex, boolean wire) {
    boolean nullable = f.getNullable() || f.hasDefaultValue();
    FieldData.Builder fd = FieldData.newBuilder().setFieldName(f.getName()).setType(f.getDataType());
    List<Object> values = new ArrayList<>(rows.size());
    List<Boolean> valid = nullable ? new ArrayList<>(rows.size()) : null;
    String expected = expected(f);
    for (int i = 0; i < rows.size(); i++) {
      Object v = rows.get(i).get(f.getName());
      if (v == null) {
        if (!nullable) {
          throw new RowConversionException(firstIndex + i, f.getName(), expected,
              rows.get(i).containsKey(f.getName()) ? "null for a field that is not nullable" : "missing");
        }
        Objects.requireNonNull(valid).add(false); // made whenever the column is nullable
        continue;
      }
      if (valid != null) {
        valid.add(true);
      }
      try {
        values.add(convert(f, f.getDataType(), v));
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new RowConversionException(firstIndex + i, f.getName(), expected,
            e.getMessage() != null ? e.getMessage() : "a " + Json.typeName(v));
      }
    }
    if (valid != null) {
      fd.addAllValidData(valid);
    }
    fill(fd, f, values, wire);
    return fd.build();
  }

  /** Validates and normalises one value (boxed, float[], byte[], List, ByteString). */
  private Object convert(FieldSchema f, DataType type, Object v) {
    switch (type) {
      case Bool:
        if (v instanceof Boolean) {
          return v;
        }
        throw wrong(v);
      case Int8:
        return (int) integral(v, Byte.MIN_VALUE, Byte.MAX_VALUE);
      case Int16:
        return (int) integral(v, Short.MIN_VALUE, Short.MAX_VALUE);
      case Int32:
        return v instanceof Integer ? v : (Object) (int) integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case Int64:
        return v instanceof Long ? v : (Object) integral(v, Long.MIN_VALUE, Long.MAX_VALUE); // a Long is kept, not boxed again
      case Float:
        return (float) number(v);
      case Double:
        return number(v);
      case VarChar:
      case String: {
        if (!(v instanceof String s)) {
          throw wrong(v);
        }
        int max = intParam(f, "max_length", -1);
        // at most 3 UTF-8 bytes per char: only a string that might be too long is measured, none is encoded
        if (max >= 0 && 3L * s.length() > max && utf8Length(s) > max) {
          throw new IllegalArgumentException("a string of " + utf8Length(s) + " UTF-8 bytes, more than max_length " + max);
        }
        return s;
      }
      case JSON:
        return ByteString.copyFromUtf8(Json.write(v));
      case Text:
        if (!(v instanceof String text)) {
          throw wrong(v);
        }
        return text;
      case Timestamptz:
        return FieldValues.timestamptz(v);
      case Geometry:
        return FieldValues.geometry(v);
      case Int8Vector:
        return FieldValues.int8Vector(v, intParam(f, "dim", -1));
      case Array: {
        if (!(v instanceof List<?> list)) {
          throw wrong(v);
        }
        int max = intParam(f, "max_capacity", -1);
        if (max >= 0 && list.size() > max) {
          throw new IllegalArgumentException("a list of " + list.size() + " elements, more than max_capacity " + max);
        }
        List<Object> elements = new ArrayList<>(list.size());
        for (Object e : list) {
          if (e == null) {
            throw new IllegalArgumentException("a null element");
          }
          elements.add(convert(f, f.getElementType(), e));
        }
        return elements;
      }
      case FloatVector: {
        float[] floats = floats(v);
        checkDim(f, floats.length);
        return floats;
      }
      case BinaryVector: {
        if (!(v instanceof byte[] bytes)) {
          throw wrong(v);
        }
        int dim = intParam(f, "dim", -1);
        if (bytes.length * 8 != dim) {
          throw new IllegalArgumentException("a byte[] of " + bytes.length + " bytes for dim " + dim);
        }
        return bytes;
      }
      case Float16Vector:
      case BFloat16Vector: {
        int dim = intParam(f, "dim", -1);
        if (v instanceof byte[] bytes) {
          if (bytes.length != 2 * dim) {
            throw new IllegalArgumentException("a byte[] of " + bytes.length + " bytes for dim " + dim);
          }
          return bytes;
        }
        float[] floats = floats(v);
        checkDim(f, floats.length);
        ByteBuffer buffer = ByteBuffer.allocate(2 * floats.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : floats) {
          buffer.putShort(type == DataType.Float16Vector ? HalfFloats.toFloat16(x) : HalfFloats.toBFloat16(x));
        }
        return buffer.array();
      }
      case SparseFloatVector:
        return sparse(v);
      default:
        throw new IllegalArgumentException("field type " + type + " is not supported by this client");
    }
  }

  private static IllegalArgumentException wrong(Object v) {
    return new IllegalArgumentException("a " + Json.typeName(v));
  }

  /** A whole number within {@code [min, max]}, as rows give it (Integer, Long, BigInteger, ...). */
  static long integral(Object v, long min, long max) {
    long n;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      n = ((Number) v).longValue();
    } else if (v instanceof java.math.BigInteger b && b.bitLength() < 64) {
      n = b.longValue();
    } else {
      throw wrong(v);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("out of range [" + min + ", " + max + "]"); // the value itself is never shown
    }
    return n;
  }

  private static double number(Object v) {
    if (v instanceof Number n && !(v instanceof java.util.concurrent.atomic.AtomicLong)) {
      return n.doubleValue();
    }
    throw wrong(v);
  }

  private static float[] floats(Object v) {
    if (v instanceof float[] f) {
      return f;
    }
    if (v instanceof double[] d) {
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    if (v instanceof List<?> list) {
      float[] f = new float[list.size()];
      for (int i = 0; i < f.length; i++) {
        if (!(list.get(i) instanceof Number n)) {
          throw new IllegalArgumentException("element " + i + " is a " + Json.typeName(list.get(i)));
        }
        f[i] = n.floatValue();
      }
      return f;
    }
    throw wrong(v);
  }

  private static void checkDim(FieldSchema f, int length) {
    int dim = intParam(f, "dim", -1);
    if (length != dim) {
      throw new IllegalArgumentException(length + " elements for dim " + dim);
    }
  }

  /** One sparse row: (uint32 index, float32 value) pairs, little endian, indices ascending. */
  private static byte[] sparse(Object v) {
    if (!(v instanceof Map<?, ?> map)) {
      throw wrong(v);
    }
    TreeMap<Long, Float> sorted = new TreeMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      long index = integral(e.getKey(), 0, 0xFFFFFFFEL);
      if (!(e.getValue() instanceof Number n)) {
        throw new IllegalArgumentException("a value of the sparse vector is a " + Json.typeName(e.getValue()));
      }
      sorted.put(index, n.floatValue());
    }
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("an empty sparse vector");
    }
    ByteBuffer b = ByteBuffer.allocate(8 * sorted.size()).order(ByteOrder.LITTLE_ENDIAN);
    sorted.forEach((index, value) -> b.putInt((int) (long) index).putFloat(value));
    return b.array();
  }

  @SuppressWarnings("unchecked")
  private static void fill(FieldData.Builder fd, FieldSchema f, List<Object> values, boolean wire) {
    DataType type = f.getDataType();
    switch (type) {
      case FloatVector: {
        if (wire) {
          fd.setVectors(wireFloatVectors(intParam(f, "dim", 0), values));
          return;
        }
        FloatArray.Builder a = FloatArray.newBuilder();
        for (Object v : values) {
          for (float x : (float[]) v) {
            a.addData(x);
          }
        }
        fd.setVectors(VectorField.newBuilder().setDim(intParam(f, "dim", 0)).setFloatVector(a));
        return;
      }
      case BinaryVector:
      case Float16Vector:
      case BFloat16Vector:
      case Int8Vector: {
        ByteString.Output out = ByteString.newOutput();
        for (Object v : values) {
          out.write((byte[]) v, 0, ((byte[]) v).length);
        }
        VectorField.Builder vf = VectorField.newBuilder().setDim(intParam(f, "dim", 0));
        if (type == DataType.BinaryVector) {
          vf.setBinaryVector(out.toByteString());
        } else if (type == DataType.Int8Vector) {
          vf.setInt8Vector(out.toByteString());
        } else if (type == DataType.Float16Vector) {
          vf.setFloat16Vector(out.toByteString());
        } else {
          vf.setBfloat16Vector(out.toByteString());
        }
        fd.setVectors(vf);
        return;
      }
      case SparseFloatVector: {
        SparseFloatArray.Builder s = SparseFloatArray.newBuilder();
        long dim = 0;
        for (Object v : values) {
          byte[] row = (byte[]) v;
          s.addContents(ByteString.copyFrom(row));
          long last = ByteBuffer.wrap(row, row.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
          dim = Math.max(dim, last + 1);
        }
        fd.setVectors(VectorField.newBuilder().setDim(dim).setSparseFloatVector(s.setDim(dim)));
        return;
      }
      case Array: {
        ArrayArray.Builder a = ArrayArray.newBuilder().setElementType(f.getElementType());
        for (Object v : values) {
          a.addData(scalars(f.getElementType(), (List<Object>) v));
        }
        fd.setScalars(ScalarField.newBuilder().setArrayData(a));
        return;
      }
      case Text:
      case Timestamptz:
      case Geometry:
        fd.setScalars(FieldValues.stringColumn(type, values));
        return;
      default:
        fd.setScalars(scalars(type, values));
    }
  }

  private static ScalarField scalars(DataType type, List<Object> values) {
    ScalarField.Builder s = ScalarField.newBuilder();
    switch (type) {
      case Bool -> {
        BoolArray.Builder a = BoolArray.newBuilder();
        values.forEach(v -> a.addData((Boolean) v));
        s.setBoolData(a);
      }
      case Int8, Int16, Int32 -> {
        IntArray.Builder a = IntArray.newBuilder();
        values.forEach(v -> a.addData((Integer) v));
        s.setIntData(a);
      }
      case Int64 -> {
        LongArray.Builder a = LongArray.newBuilder();
        values.forEach(v -> a.addData((Long) v));
        s.setLongData(a);
      }
      case Float -> {
        FloatArray.Builder a = FloatArray.newBuilder();
        values.forEach(v -> a.addData((Float) v));
        s.setFloatData(a);
      }
      case Double -> {
        DoubleArray.Builder a = DoubleArray.newBuilder();
        values.forEach(v -> a.addData((Double) v));
        s.setDoubleData(a);
      }
      case VarChar, String -> {
        StringArray.Builder a = StringArray.newBuilder();
        values.forEach(v -> a.addData((String) v));
        s.setStringData(a);
      }
      case JSON -> {
        JSONArray.Builder a = JSONArray.newBuilder();
        values.forEach(v -> a.addData((ByteString) v));
        s.setJsonData(a);
      }
      default -> throw new IllegalArgumentException("element type " + type + " is not supported");
    }
    return s.build();
  }

  /**
   * A FloatVector column in its wire form, written once: the packed floats of a {@code FloatArray}
   * (tag, length, little-endian floats copied in bulk) kept as the raw bytes of
   * {@code VectorField.float_vector}. Serialising it copies the bytes as they are, where a
   * {@code FloatArray} built float by float grows its list several times and is walked again.
   * Readers of the message see no {@code float_vector} until it is serialised and parsed again, so
   * this form is only for requests about to be sent.
   */
  static VectorField wireFloatVectors(int dim, List<Object> values) {
    long payload = 0;
    for (Object v : values) {
      payload += 4L * ((float[]) v).length;
    }
    if (payload > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a FloatVector column of " + payload + " bytes does not fit one message");
    }
    int header = 1 + varintSize((int) payload);
    byte[] bytes = new byte[header + (int) payload];
    bytes[0] = (byte) ((FloatArray.DATA_FIELD_NUMBER << 3) | 2); // length-delimited: packed floats
    int at = 1;
    for (int n = (int) payload; ; n >>>= 7) {
      if ((n & ~0x7F) == 0) {
        bytes[at] = (byte) n;
        break;
      }
      bytes[at++] = (byte) ((n & 0x7F) | 0x80);
    }
    FloatBuffer floats = ByteBuffer.wrap(bytes, header, (int) payload).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    for (Object v : values) {
      floats.put((float[]) v);
    }
    return VectorField.newBuilder().setDim(dim).setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(VectorField.FLOAT_VECTOR_FIELD_NUMBER,
            UnknownFieldSet.Field.newBuilder().addLengthDelimited(UnsafeByteOperations.unsafeWrap(bytes)).build())
        .build()).build();
  }

  private static int varintSize(int n) {
    int size = 1;
    while ((n & ~0x7F) != 0) {
      n >>>= 7;
      size++;
    }
    return size;
  }

  /** The UTF-8 length of {@code s} as {@code String.getBytes(UTF_8)} gives it, without encoding it. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += Character.isSurrogate(c) ? 1 : 3; // a lone surrogate is encoded as '?'
      }
    }
    return n;
  }

  static int intParam(FieldSchema f, String key, int fallback) {
    return intParam(f.getTypeParamsList(), key, fallback);
  }

  /** As {@link #intParam(FieldSchema, String, int)}, from type parameters. */
  static int intParam(List<KeyValuePair> params, String key, int fallback) {
    for (int i = 0; i < params.size(); i++) { // by index: called per value, no iterator
      KeyValuePair kv = params.get(i);
      if (kv.getKey().equals(key)) {
        try {
          return Integer.parseInt(kv.getValue().trim());
        } catch (NumberFormatException e) {
          return fallback;
        }
      }
    }
    return fallback;
  }

  /** What a field accepts, for messages and the documentation table. */
  static String expected(FieldSchema f) {
    String nullable = f.getNullable() || f.hasDefaultValue() ? " or null" : "";
    int dim = intParam(f, "dim", -1);
    String base = switch (f.getDataType()) {
      case Bool -> "Boolean";
      case Int8 -> "Byte, Short, Integer or Long in [-128, 127]";
      case Int16 -> "Byte, Short, Integer or Long in [-32768, 32767]";
      case Int32 -> "Byte, Short, Integer or Long in the int range";
      case Int64 -> "Byte, Short, Integer or Long";
      case Float, Double -> "a Number";
      case VarChar, String -> "String" + (intParam(f, "max_length", -1) >= 0
          ? " of at most " + intParam(f, "max_length", -1) + " UTF-8 bytes" : "");
      case JSON -> "Map, List, String, Number or Boolean (as JSON)";
      case Array -> "List of " + f.getElementType() + " values" + (intParam(f, "max_capacity", -1) >= 0
          ? ", at most " + intParam(f, "max_capacity", -1) : "");
      case FloatVector -> "float[], double[] or List<Number> of " + dim + " elements";
      case BinaryVector -> "byte[] of " + (dim / 8) + " bytes (dim " + dim + ")";
      case Float16Vector, BFloat16Vector -> "float[], double[] or List<Number> of " + dim
          + " elements, or byte[] of " + (2 * dim) + " bytes";
      case SparseFloatVector -> "Map<Integer or Long, Number> (index to value), not empty";
      case Text -> "String";
      case Timestamptz -> "Instant, OffsetDateTime, ZonedDateTime or an ISO-8601 date-time String";
      case Geometry -> "String (WKT, for example POINT (1 2))";
      case Int8Vector -> "byte[], int[] or List<Number> of " + dim + " whole numbers in [-128, 127]";
      default -> "(unsupported type " + f.getDataType() + ")";
    };
    return base + nullable;
  }

  /** A rough wire size of a row, for batching by bytes: numbers 8, strings their length, arrays their payload. */
  static long estimateBytes(Object value) {
    if (value == null) {
      return 1;
    }
    if (value instanceof String s) {
      return s.length() + 2L;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return 8;
    }
    if (value instanceof float[] f) {
      return 4L * f.length;
    }
    if (value instanceof double[] d) {
      return 4L * d.length;
    }
    if (value instanceof byte[] b) {
      return b.length;
    }
    if (value instanceof Map<?, ?> m) {
      long n = 2;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        n += estimateBytes(e.getKey()) + estimateBytes(e.getValue());
      }
      return n;
    }
    if (value instanceof java.util.Collection<?> c) {
      long n = 2;
      for (Object o : c) {
        n += estimateBytes(o);
      }
      return n;
    }
    return 16;
  }

}
