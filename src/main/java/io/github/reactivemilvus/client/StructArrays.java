package io.github.reactivemilvus.client;

import com.google.protobuf.ByteString;
import io.github.reactivemilvus.proto.ArrayArray;
import io.github.reactivemilvus.proto.BoolArray;
import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.DoubleArray;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.FloatArray;
import io.github.reactivemilvus.proto.IntArray;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.ScalarField;
import io.github.reactivemilvus.proto.StringArray;
import io.github.reactivemilvus.proto.StructArrayField;
import io.github.reactivemilvus.proto.StructArrayFieldSchema;
import io.github.reactivemilvus.proto.VectorArray;
import io.github.reactivemilvus.proto.VectorField;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Array-of-struct fields ({@code CollectionSchema.struct_array_fields}), between rows and the wire.
 * A row's value is a {@code List<Map<String, Object>>}: one map per struct, every sub-field given.
 * On the wire the field is one {@code FieldData} of type ArrayOfStruct whose {@code struct_arrays}
 * holds one column per sub-field: scalar sub-fields as Array columns (one array per row), vector
 * sub-fields as ArrayOfVector columns ({@code vectors.vector_array}: one VectorField per row
 * holding that row's vectors end to end). Sub-field names may come back as
 * {@code struct[sub]}; rows and the written columns use the plain sub-field name, as pymilvus does.
 * Stateless.
 */
final class StructArrays {
  private StructArrays() {}

  /** A sub-field's name as rows use it: {@code sub} for {@code struct[sub]}. */
  static String subName(String structName, String fieldName) {
    String prefix = structName + "[";
    return fieldName.startsWith(prefix) && fieldName.endsWith("]")
        ? fieldName.substring(prefix.length(), fieldName.length() - 1) : fieldName;
  }

  /**
   * The column of {@code values} (one per row: a list of structs, empty for none). A missing (null) or
   * wrong value throws {@link IllegalArgumentException} naming the struct and sub-field (a struct field
   * is never nullable in the 2.6 protocol); the caller adds the row.
   */
  static FieldData encode(StructArrayFieldSchema schema, List<@Nullable Object> values) {
    StructArrayField.Builder columns = StructArrayField.newBuilder();
    int maxCapacity = maxCapacity(schema);
    for (FieldSchema sub : schema.getFieldsList()) {
      String name = subName(schema.getName(), sub.getName());
      FieldData.Builder column = FieldData.newBuilder().setFieldName(name).setType(sub.getDataType());
      boolean vector = sub.getDataType() == DataType.ArrayOfVector;
      ArrayArray.Builder arrays = ArrayArray.newBuilder().setElementType(sub.getElementType());
      int dim = RowEncoder.intParam(sub, "dim", 0);
      int maxLength = RowEncoder.intParam(sub, "max_length", -1);
      VectorArray.Builder vectors = VectorArray.newBuilder().setDim(dim).setElementType(sub.getElementType());
      for (int row = 0; row < values.size(); row++) {
        List<Object> elements = new ArrayList<>();
        for (Map<?, ?> struct : structs(schema, values.get(row), maxCapacity)) {
          if (!struct.containsKey(name) || struct.get(name) == null) {
            throw new IllegalArgumentException("a struct of '" + schema.getName() + "' without a value for '" + name + "'");
          }
          elements.add(struct.get(name));
        }
        if (vector) {
          vectors.addData(vectorsOf(sub, name, elements));
        } else {
          arrays.addData(scalarsOf(sub.getElementType(), name, elements, maxLength));
        }
      }
      if (vector) {
        column.setVectors(VectorField.newBuilder().setDim(dim).setVectorArray(vectors));
      } else {
        column.setScalars(ScalarField.newBuilder().setArrayData(arrays));
      }
      columns.addFields(column);
    }
    return FieldData.newBuilder().setFieldName(schema.getName()).setType(DataType.ArrayOfStruct)
        .setStructArrays(columns).build();
  }

  /**
   * The most structs per row: the sub-fields' {@code max_capacity} (where pymilvus and the Java SDK put
   * it), else the struct's own; -1 when neither says.
   */
  static int maxCapacity(StructArrayFieldSchema schema) {
    for (FieldSchema sub : schema.getFieldsList()) {
      int max = RowEncoder.intParam(sub, "max_capacity", -1);
      if (max >= 0) {
        return max;
      }
    }
    return RowEncoder.intParam(schema.getTypeParamsList(), "max_capacity", -1);
  }

  private static List<Map<?, ?>> structs(StructArrayFieldSchema schema, @Nullable Object v, int max) {
    if (v == null) {
      throw new IllegalArgumentException("no value for array-of-struct field '" + schema.getName()
          + "' (a List of Maps, an empty List for no structs)");
    }
    if (!(v instanceof List<?> list)) {
      throw new IllegalArgumentException("a " + Json.typeName(v) + " for array-of-struct field '" + schema.getName()
          + "' (a List of Maps)");
    }
    if (max >= 0 && list.size() > max) {
      throw new IllegalArgumentException("a list of " + list.size() + " structs, more than max_capacity " + max);
    }
    List<Map<?, ?>> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("struct " + i + " of '" + schema.getName() + "' is a " + Json.typeName(list.get(i)));
      }
      for (Object key : m.keySet()) {
        boolean known = schema.getFieldsList().stream().anyMatch(f -> subName(schema.getName(), f.getName()).equals(key));
        if (!known) {
          throw new IllegalArgumentException("struct " + i + " of '" + schema.getName() + "' has unknown sub-field '" + key + "'");
        }
      }
      out.add(m);
    }
    return out;
  }

  private static ScalarField scalarsOf(DataType type, String name, List<Object> elements, int maxLength) {
    ScalarField.Builder s = ScalarField.newBuilder();
    try {
      switch (type) {
        case Bool -> {
          BoolArray.Builder a = BoolArray.newBuilder();
          for (Object e : elements) {
            if (!(e instanceof Boolean b)) {
              throw new IllegalArgumentException("a " + Json.typeName(e));
            }
            a.addData(b);
          }
          s.setBoolData(a);
        }
        case Int8, Int16, Int32 -> {
          long min = type == DataType.Int8 ? Byte.MIN_VALUE : type == DataType.Int16 ? Short.MIN_VALUE : Integer.MIN_VALUE;
          long max = type == DataType.Int8 ? Byte.MAX_VALUE : type == DataType.Int16 ? Short.MAX_VALUE : Integer.MAX_VALUE;
          IntArray.Builder a = IntArray.newBuilder();
          for (Object e : elements) {
            a.addData((int) RowEncoder.integral(e, min, max));
          }
          s.setIntData(a);
        }
        case Int64 -> {
          LongArray.Builder a = LongArray.newBuilder();
          for (Object e : elements) {
            a.addData(RowEncoder.integral(e, Long.MIN_VALUE, Long.MAX_VALUE));
          }
          s.setLongData(a);
        }
        case Float, Double -> {
          FloatArray.Builder f = FloatArray.newBuilder();
          DoubleArray.Builder d = DoubleArray.newBuilder();
          for (Object e : elements) {
            if (!(e instanceof Number n)) {
              throw new IllegalArgumentException("a " + Json.typeName(e));
            }
            f.addData(n.floatValue());
            d.addData(n.doubleValue());
          }
          if (type == DataType.Float) {
            s.setFloatData(f);
          } else {
            s.setDoubleData(d);
          }
        }
        case VarChar, String -> {
          StringArray.Builder a = StringArray.newBuilder();
          for (Object e : elements) {
            if (!(e instanceof String str)) {
              throw new IllegalArgumentException("a " + Json.typeName(e));
            }
            if (maxLength >= 0 && RowEncoder.utf8Length(str) > maxLength) {
              throw new IllegalArgumentException("a string of " + RowEncoder.utf8Length(str) + " UTF-8 bytes, more than max_length "
                  + maxLength);
            }
            a.addData(str);
          }
          s.setStringData(a);
        }
        default -> throw new IllegalArgumentException("sub-field type " + type + " is not supported by this client");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sub-field '" + name + "': " + e.getMessage(), e);
    }
    return s.build();
  }

  private static VectorField vectorsOf(FieldSchema sub, String name, List<Object> elements) {
    int dim = RowEncoder.intParam(sub, "dim", 0);
    VectorField.Builder v = VectorField.newBuilder().setDim(dim);
    try {
      switch (sub.getElementType()) {
        case FloatVector -> {
          FloatArray.Builder a = FloatArray.newBuilder();
          for (Object e : elements) {
            for (float x : floats(e, dim)) {
              a.addData(x);
            }
          }
          v.setFloatVector(a);
        }
        case Float16Vector, BFloat16Vector -> {
          boolean f16 = sub.getElementType() == DataType.Float16Vector;
          ByteBuffer b = ByteBuffer.allocate(2 * dim * elements.size()).order(ByteOrder.LITTLE_ENDIAN);
          for (Object e : elements) {
            for (float x : floats(e, dim)) {
              b.putShort(f16 ? HalfFloats.toFloat16(x) : HalfFloats.toBFloat16(x));
            }
          }
          ByteString bytes = ByteString.copyFrom(b.array());
          if (f16) {
            v.setFloat16Vector(bytes);
          } else {
            v.setBfloat16Vector(bytes);
          }
        }
        case Int8Vector -> {
          ByteString.Output out = ByteString.newOutput();
          for (Object e : elements) {
            byte[] b = FieldValues.int8Vector(e, dim);
            out.write(b, 0, b.length);
          }
          v.setInt8Vector(out.toByteString());
        }
        case BinaryVector -> {
          ByteString.Output out = ByteString.newOutput();
          for (Object e : elements) {
            if (!(e instanceof byte[] b) || b.length * 8 != dim) {
              throw new IllegalArgumentException("a " + Json.typeName(e) + " for a BinaryVector of dim " + dim);
            }
            out.write(b, 0, b.length);
          }
          v.setBinaryVector(out.toByteString());
        }
        default -> throw new IllegalArgumentException("vector sub-field type " + sub.getElementType() + " is not supported");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sub-field '" + name + "': " + e.getMessage(), e);
    }
    return v.build();
  }

  private static float[] floats(Object v, int dim) {
    float[] f;
    if (v instanceof float[] a) {
      f = a;
    } else if (v instanceof double[] d) {
      f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
    } else if (v instanceof List<?> list) {
      f = new float[list.size()];
      for (int i = 0; i < f.length; i++) {
        if (!(list.get(i) instanceof Number n)) {
          throw new IllegalArgumentException("element " + i + " is a " + Json.typeName(list.get(i)));
        }
        f[i] = n.floatValue();
      }
    } else {
      throw new IllegalArgumentException("a " + Json.typeName(v));
    }
    if (f.length != dim) {
      throw new IllegalArgumentException(f.length + " elements for dim " + dim);
    }
    return f;
  }

  // ---- read side ----

  /**
   * Row {@code row} of an ArrayOfStruct column: one map per struct (sub-field name to value, in
   * sub-field order), or null when a sub-field marks the row null.
   */
  static @Nullable List<Map<String, Object>> decode(FieldData fd, int row) {
    String structName = fd.getFieldName();
    List<FieldData> subs = fd.getStructArrays().getFieldsList();
    for (FieldData sub : subs) {
      if (sub.getValidDataCount() > row && !sub.getValidData(row)) {
        return null;
      }
    }
    int count = 0;
    for (FieldData sub : subs) {
      count = Math.max(count, structCount(sub, row));
    }
    List<Map<String, Object>> structs = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      structs.add(new LinkedHashMap<>());
    }
    for (FieldData sub : subs) {
      String name = subName(structName, sub.getFieldName());
      for (int k = 0; k < count; k++) {
        structs.get(k).put(name, element(sub, row, k));
      }
    }
    return structs;
  }

  private static int structCount(FieldData sub, int row) {
    if (sub.hasVectors() && sub.getVectors().hasVectorArray()) {
      VectorArray va = sub.getVectors().getVectorArray();
      if (row >= va.getDataCount()) {
        return 0;
      }
      VectorField v = va.getData(row);
      long dim = Math.max(1, va.getDim() > 0 ? va.getDim() : v.getDim());
      return (int) switch (v.getDataCase()) {
        case FLOAT_VECTOR -> v.getFloatVector().getDataCount() / dim;
        case FLOAT16_VECTOR -> v.getFloat16Vector().size() / 2 / dim;
        case BFLOAT16_VECTOR -> v.getBfloat16Vector().size() / 2 / dim;
        case INT8_VECTOR -> v.getInt8Vector().size() / dim;
        case BINARY_VECTOR -> v.getBinaryVector().size() * 8 / dim;
        default -> 0;
      };
    }
    if (!sub.hasScalars() || row >= sub.getScalars().getArrayData().getDataCount()) {
      return 0;
    }
    return RowDecoder.size(FieldData.newBuilder().setScalars(sub.getScalars().getArrayData().getData(row)).build());
  }

  private static @Nullable Object element(FieldData sub, int row, int k) {
    if (sub.hasVectors() && sub.getVectors().hasVectorArray()) {
      VectorArray va = sub.getVectors().getVectorArray();
      VectorField v = va.getData(row);
      int dim = (int) (va.getDim() > 0 ? va.getDim() : v.getDim());
      switch (v.getDataCase()) {
        case FLOAT_VECTOR: {
          float[] f = new float[dim];
          for (int i = 0; i < dim; i++) {
            f[i] = v.getFloatVector().getData(k * dim + i);
          }
          return f;
        }
        case FLOAT16_VECTOR:
        case BFLOAT16_VECTOR: {
          boolean f16 = v.getDataCase() == VectorField.DataCase.FLOAT16_VECTOR;
          ByteBuffer b = (f16 ? v.getFloat16Vector() : v.getBfloat16Vector()).substring(2 * k * dim, 2 * (k + 1) * dim)
              .asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          float[] f = new float[dim];
          for (int i = 0; i < dim; i++) {
            short h = b.getShort();
            f[i] = f16 ? HalfFloats.fromFloat16(h) : HalfFloats.fromBFloat16(h);
          }
          return f;
        }
        case INT8_VECTOR:
          return v.getInt8Vector().substring(k * dim, (k + 1) * dim).toByteArray();
        case BINARY_VECTOR:
          return v.getBinaryVector().substring(k * dim / 8, (k + 1) * dim / 8).toByteArray();
        default:
          return FieldValues.raw(sub, row);
      }
    }
    ScalarField s = sub.getScalars().getArrayData().getData(row);
    return switch (s.getDataCase()) {
      case BOOL_DATA -> s.getBoolData().getData(k);
      case INT_DATA -> s.getIntData().getData(k);
      case LONG_DATA -> s.getLongData().getData(k);
      case FLOAT_DATA -> s.getFloatData().getData(k);
      case DOUBLE_DATA -> s.getDoubleData().getData(k);
      case STRING_DATA -> s.getStringData().getData(k);
      default -> FieldValues.raw(sub, row);
    };
  }
}
