package io.github.reactivemilvus.client;

import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FloatArray;
import io.github.reactivemilvus.proto.ScalarField;
import io.github.reactivemilvus.proto.VectorField;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Columnar results ({@link FieldData}) back to rows ({@code Map<String, Object>}) in field order,
 * the dynamic field's keys spread into the row. Stateless; runs on the caller's thread.
 */
final class RowDecoder {
  private RowDecoder() {}

  /** The rows of columnar results, each a map in field order; the dynamic field's keys spread. */
  static List<Map<String, Object>> decode(List<FieldData> columns, int rowCount) {
    List<Map<String, Object>> rows = new ArrayList<>(rowCount);
    for (int i = 0; i < rowCount; i++) {
      rows.add(new LinkedHashMap<>());
    }
    for (FieldData fd : columns) {
      boolean hasValid = fd.getValidDataCount() > 0;
      int compact = 0;
      int present = size(fd);
      for (int i = 0; i < rowCount; i++) {
        boolean isValid = !hasValid || fd.getValidData(i);
        if (!isValid) {
          rows.get(i).put(fd.getFieldName(), null);
          continue;
        }
        // values are full length (pymilvus and the server) or only for valid rows: accept both
        int at = present == rowCount ? i : compact;
        compact++;
        Object v = value(fd, at);
        if (fd.getIsDynamic()) {
          if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
              rows.get(i).putIfAbsent((String) e.getKey(), e.getValue());
            }
          }
        } else {
          rows.get(i).put(fd.getFieldName(), v);
        }
      }
    }
    return rows;
  }

  /**
   * The rows of a search result without column {@code skip} (the primary key, which each hit gives
   * as its id), each an unmodifiable {@link RowMap} sharing the result's field names: one array per
   * row instead of a hash map with an entry per field, the same keys, order and values as
   * {@link #decode} gives. With a dynamic field (whose keys differ from row to row) or a repeated
   * field name, the maps of {@link #decode} less {@code skip} (which {@link Hit} copies).
   */
  static List<Map<String, Object>> decodeRows(List<FieldData> columns, int rowCount, String skip) {
    List<FieldData> kept = new ArrayList<>(columns.size());
    Set<String> names = new HashSet<>();
    for (FieldData fd : columns) {
      if (fd.getIsDynamic() || !names.add(fd.getFieldName())) {
        List<Map<String, Object>> rows = decode(columns, rowCount);
        rows.forEach(row -> row.remove(skip));
        return rows;
      }
      if (!fd.getFieldName().equals(skip)) {
        kept.add(fd);
      }
    }
    int n = kept.size();
    String[] keys = new String[n];
    boolean[] hasValid = new boolean[n];
    boolean[] full = new boolean[n];
    for (int c = 0; c < n; c++) {
      FieldData fd = kept.get(c);
      keys[c] = fd.getFieldName();
      hasValid[c] = fd.getValidDataCount() > 0;
      full[c] = size(fd) == rowCount;
    }
    @Nullable Object[][] values = new Object[rowCount][n];
    // column by column: a dense FloatVector column is copied in one tight loop, the others value by value
    for (int c = 0; c < n; c++) {
      FieldData fd = kept.get(c);
      if (!hasValid[c] && full[c] && fd.getType() == DataType.FloatVector && fd.hasVectors()
          && fd.getVectors().getDataCase() == VectorField.DataCase.FLOAT_VECTOR) {
        floatVectors(fd.getVectors(), rowCount, values, c);
        continue;
      }
      int compact = 0;
      for (int i = 0; i < rowCount; i++) {
        if (hasValid[c] && !fd.getValidData(i)) {
          continue; // null
        }
        // values are full length (pymilvus and the server) or only for valid rows: accept both
        values[i][c] = value(fd, full[c] ? i : compact);
        compact++;
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>(rowCount);
    for (int i = 0; i < rowCount; i++) {
      rows.add(new RowMap(keys, values[i]));
    }
    return rows;
  }

  /** Row {@code i}'s vector of a dense FloatVector column into {@code values[i][c]}, for every row. */
  private static void floatVectors(VectorField v, int rowCount, @Nullable Object[][] values, int c) {
    int dim = (int) v.getDim();
    FloatArray data = v.getFloatVector();
    for (int i = 0, at = 0; i < rowCount; i++) {
      float[] f = new float[dim];
      for (int k = 0; k < dim; k++, at++) {
        f[k] = data.getData(at);
      }
      values[i][c] = f;
    }
  }

  /** Values in the column (rows, or valid rows of a compact nullable column). */
  static int size(FieldData fd) {
    if (fd.hasStructArrays()) {
      int rows = 0;
      for (FieldData sub : fd.getStructArrays().getFieldsList()) {
        rows = Math.max(rows, size(sub));
      }
      return rows;
    }
    if (fd.hasVectors()) {
      VectorField v = fd.getVectors();
      long dim = Math.max(1, v.getDim());
      return switch (v.getDataCase()) {
        case FLOAT_VECTOR -> (int) (v.getFloatVector().getDataCount() / dim);
        case BINARY_VECTOR -> (int) (v.getBinaryVector().size() * 8 / dim);
        case FLOAT16_VECTOR -> (int) (v.getFloat16Vector().size() / 2 / dim);
        case BFLOAT16_VECTOR -> (int) (v.getBfloat16Vector().size() / 2 / dim);
        case SPARSE_FLOAT_VECTOR -> v.getSparseFloatVector().getContentsCount();
        case INT8_VECTOR -> (int) (v.getInt8Vector().size() / dim);
        case VECTOR_ARRAY -> v.getVectorArray().getDataCount();
        default -> 0;
      };
    }
    ScalarField s = fd.getScalars();
    return switch (s.getDataCase()) {
      case BOOL_DATA -> s.getBoolData().getDataCount();
      case INT_DATA -> s.getIntData().getDataCount();
      case LONG_DATA -> s.getLongData().getDataCount();
      case FLOAT_DATA -> s.getFloatData().getDataCount();
      case DOUBLE_DATA -> s.getDoubleData().getDataCount();
      case STRING_DATA -> s.getStringData().getDataCount();
      case JSON_DATA -> s.getJsonData().getDataCount();
      case ARRAY_DATA -> s.getArrayData().getDataCount();
      case BYTES_DATA -> s.getBytesData().getDataCount();
      case GEOMETRY_WKT_DATA, GEOMETRY_DATA, TIMESTAMPTZ_DATA -> FieldValues.size(s);
      default -> 0;
    };
  }

  private static @Nullable Object value(FieldData fd, int i) {
    if (fd.getType() == DataType.UNRECOGNIZED) {
      return FieldValues.raw(fd, i); // a newer server's type: raw, with its type named, never a failed read
    }
    if (fd.hasStructArrays()) {
      return StructArrays.decode(fd, i);
    }
    if (fd.hasVectors()) {
      VectorField v = fd.getVectors();
      int dim = (int) v.getDim();
      switch (v.getDataCase()) {
        case FLOAT_VECTOR: {
          FloatArray data = v.getFloatVector();
          float[] f = new float[dim];
          for (int k = 0, at = i * dim; k < dim; k++) {
            f[k] = data.getData(at + k);
          }
          return f;
        }
        case BINARY_VECTOR:
          return v.getBinaryVector().substring(i * dim / 8, (i + 1) * dim / 8).toByteArray();
        case FLOAT16_VECTOR:
        case BFLOAT16_VECTOR: {
          boolean f16 = v.getDataCase() == VectorField.DataCase.FLOAT16_VECTOR;
          ByteBuffer b = (f16 ? v.getFloat16Vector() : v.getBfloat16Vector()).substring(2 * i * dim, 2 * (i + 1) * dim)
              .asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          float[] f = new float[dim];
          for (int k = 0; k < dim; k++) {
            short h = b.getShort();
            f[k] = f16 ? HalfFloats.fromFloat16(h) : HalfFloats.fromBFloat16(h);
          }
          return f;
        }
        case SPARSE_FLOAT_VECTOR: {
          ByteBuffer b = v.getSparseFloatVector().getContents(i).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          SortedMap<Long, Float> m = new TreeMap<>();
          while (b.remaining() >= 8) {
            m.put(b.getInt() & 0xFFFFFFFFL, b.getFloat());
          }
          return m;
        }
        case INT8_VECTOR:
          return FieldValues.int8VectorRead(v, i);
        default:
          return FieldValues.raw(fd, i);
      }
    }
    int newer = FieldValues.size(fd.getScalars());
    if (newer >= 0 || fd.getType() == DataType.Timestamptz) {
      return FieldValues.read(fd.getType(), fd.getScalars(), i);
    }
    Object v = scalar(fd.getType(), fd.getScalars(), i);
    return v == UNKNOWN_PAYLOAD ? FieldValues.raw(fd, i) : v;
  }

  /** What {@link #scalar} returns for a payload this client does not know. */
  private static final Object UNKNOWN_PAYLOAD = new Object();

  private static @Nullable Object scalar(DataType type, ScalarField s, int i) {
    switch (s.getDataCase()) {
      case BOOL_DATA:
        return s.getBoolData().getData(i);
      case INT_DATA:
        return s.getIntData().getData(i);
      case LONG_DATA:
        return s.getLongData().getData(i);
      case FLOAT_DATA:
        return s.getFloatData().getData(i);
      case DOUBLE_DATA:
        return s.getDoubleData().getData(i);
      case STRING_DATA:
        return s.getStringData().getData(i);
      case JSON_DATA:
        return Json.read(s.getJsonData().getData(i).toStringUtf8());
      case BYTES_DATA:
        return s.getBytesData().getData(i).toByteArray();
      case ARRAY_DATA: {
        ScalarField element = s.getArrayData().getData(i);
        int n = size(FieldData.newBuilder().setScalars(element).build());
        List<Object> list = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
          list.add(scalar(s.getArrayData().getElementType(), element, k));
        }
        return list;
      }
      default:
        int newer = FieldValues.size(s);
        return newer >= 0 ? FieldValues.read(type, s, i) : UNKNOWN_PAYLOAD;
    }
  }

}
