package io.github.reactivemilvus.client;

import com.google.protobuf.ByteString;
import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.ScalarField;
import io.github.reactivemilvus.proto.StringArray;
import io.github.reactivemilvus.proto.ValueField;
import io.github.reactivemilvus.proto.VectorField;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Values of the Milvus 2.6 field types, one at a time, between the Java forms rows use and the
 * wire: Text, Timestamptz, Geometry (WKT), Int8Vector, default values. What pymilvus sends is what
 * is sent here: Text and Timestamptz travel as {@code string_data} (the server parses the
 * timestamp), Geometry as {@code geometry_wkt_data}, Int8Vector as one byte per component.
 * Stateless.
 */
final class FieldValues {
  /** The WKT geometry types (OGC simple features), optionally after an EWKT {@code SRID=n;}. */
  private static final Pattern WKT = Pattern.compile(
      "(?i)^\\s*(SRID=\\d+;)?\\s*(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)"
          + "\\s*(Z|M|ZM)?\\s*(\\(|EMPTY\\b)");

  private FieldValues() {}

  // ---- Timestamptz ----

  /**
   * A Timestamptz value as the ISO-8601 text the server parses: an {@link Instant},
   * {@link OffsetDateTime} or {@link ZonedDateTime} (written with its offset), or a String that is
   * an ISO-8601 date-time with or without offset (without one, the collection's time zone applies
   * on the server).
   */
  static String timestamptz(Object v) {
    if (v instanceof Instant i) {
      return DateTimeFormatter.ISO_INSTANT.format(i);
    }
    if (v instanceof OffsetDateTime o) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(o);
    }
    if (v instanceof ZonedDateTime z) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(z.toOffsetDateTime());
    }
    if (v instanceof String s) {
      try {
        OffsetDateTime.parse(s);
      } catch (DateTimeParseException withoutOffset) {
        try {
          LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("a String that is not an ISO-8601 date-time");
        }
      }
      return s;
    }
    throw new IllegalArgumentException("a " + Json.typeName(v));
  }

  /**
   * A Timestamptz read back: the server's text as an {@link OffsetDateTime} (a text without offset
   * is UTC), or, when the server sent it as a number ({@code timestamptz_data}), microseconds since
   * the epoch as a UTC {@link OffsetDateTime}. Text that is no ISO-8601 date-time comes back as is.
   */
  static Object timestamptzRead(String text) {
    String t = text.trim();
    try {
      return OffsetDateTime.parse(t);
    } catch (DateTimeParseException e) {
      // Milvus writes "2025-01-02 00:00:00+00:00" in some versions: a space for the T
      String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
      try {
        return OffsetDateTime.parse(iso);
      } catch (DateTimeParseException e2) {
        try {
          return LocalDateTime.parse(iso).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e3) {
          return text;
        }
      }
    }
  }

  /** Microseconds since the epoch (the server's storage of Timestamptz) as a UTC date-time. */
  static OffsetDateTime timestamptzRead(long micros) {
    return Instant.EPOCH.plusSeconds(Math.floorDiv(micros, 1_000_000L))
        .plusNanos(Math.floorMod(micros, 1_000_000L) * 1_000L).atOffset(ZoneOffset.UTC);
  }

  // ---- Geometry ----

  /** A Geometry value: WKT text (POINT, LINESTRING, POLYGON, MULTI..., GEOMETRYCOLLECTION). */
  static String geometry(Object v) {
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("a " + Json.typeName(v));
    }
    if (!WKT.matcher(s).find()) {
      throw new IllegalArgumentException("a String that is not WKT (POINT (x y), POLYGON ((...)), ...)");
    }
    return s;
  }

  // ---- Int8Vector ----

  /**
   * An Int8Vector value of {@code dim} components: a {@code byte[]}, an {@code int[]} or a
   * {@code List<Number>} of whole numbers in [-128, 127].
   */
  static byte[] int8Vector(Object v, int dim) {
    byte[] out;
    if (v instanceof byte[] b) {
      out = b;
    } else if (v instanceof int[] ints) {
      out = new byte[ints.length];
      for (int i = 0; i < ints.length; i++) {
        out[i] = int8(ints[i], i);
      }
    } else if (v instanceof List<?> list) {
      out = new byte[list.size()];
      for (int i = 0; i < out.length; i++) {
        Object e = list.get(i);
        if (!(e instanceof Byte || e instanceof Short || e instanceof Integer || e instanceof Long)) {
          throw new IllegalArgumentException("element " + i + " is a " + Json.typeName(e));
        }
        out[i] = int8(((Number) e).longValue(), i);
      }
    } else {
      throw new IllegalArgumentException("a " + Json.typeName(v));
    }
    if (out.length != dim) {
      throw new IllegalArgumentException(out.length + " elements for dim " + dim);
    }
    return out;
  }

  private static byte int8(long n, int index) {
    if (n < Byte.MIN_VALUE || n > Byte.MAX_VALUE) {
      throw new IllegalArgumentException("element " + index + " is out of range [-128, 127]");
    }
    return (byte) n;
  }

  /** Row {@code i} of an Int8Vector column. */
  static byte[] int8VectorRead(VectorField v, int i) {
    int dim = (int) v.getDim();
    return v.getInt8Vector().substring(i * dim, (i + 1) * dim).toByteArray();
  }

  // ---- columns of the string-carried types ----

  /** A column of Text, Timestamptz or Geometry values, already converted, as the server reads it. */
  static ScalarField stringColumn(DataType type, List<Object> values) {
    StringArray.Builder a = StringArray.newBuilder();
    for (Object v : values) {
      a.addData((String) v);
    }
    ScalarField.Builder s = ScalarField.newBuilder();
    if (type == DataType.Geometry) {
      s.setGeometryWktData(io.github.reactivemilvus.proto.GeometryWktArray.newBuilder().addAllData(a.getDataList()));
    } else {
      s.setStringData(a);
    }
    return s.build();
  }

  /** The number of values in a column of one of the 2.6 scalar payloads, or -1 for another payload. */
  static int size(ScalarField s) {
    return switch (s.getDataCase()) {
      case GEOMETRY_WKT_DATA -> s.getGeometryWktData().getDataCount();
      case GEOMETRY_DATA -> s.getGeometryData().getDataCount();
      case TIMESTAMPTZ_DATA -> s.getTimestamptzData().getDataCount();
      default -> -1;
    };
  }

  /** Value {@code i} of a 2.6 scalar payload; {@code type} tells a Timestamptz sent as text. */
  static @Nullable Object read(DataType type, ScalarField s, int i) {
    return switch (s.getDataCase()) {
      case GEOMETRY_WKT_DATA -> s.getGeometryWktData().getData(i);
      // well-known binary, as the server stores it
      case GEOMETRY_DATA -> s.getGeometryData().getData(i).toByteArray();
      case TIMESTAMPTZ_DATA -> timestamptzRead(s.getTimestamptzData().getData(i));
      case STRING_DATA -> type == DataType.Timestamptz ? timestamptzRead(s.getStringData().getData(i))
          : s.getStringData().getData(i);
      case LONG_DATA -> type == DataType.Timestamptz ? timestamptzRead(s.getLongData().getData(i)) : s.getLongData().getData(i);
      default -> throw new IllegalArgumentException("no 2.6 payload: " + s.getDataCase());
    };
  }

  // ---- default values ----

  /**
   * A field's default value on the wire ({@code FieldSchema.default_value}), checked against the
   * field's type: Bool, Int8-Int64, Float, Double, VarChar/Text/String and Geometry (WKT) fields
   * take one; other types (Array, JSON, vectors, Timestamptz) have none in Milvus.
   */
  static ValueField defaultValue(DataType type, Object v) {
    ValueField.Builder b = ValueField.newBuilder();
    switch (type) {
      case Bool -> {
        if (!(v instanceof Boolean flag)) {
          throw new IllegalArgumentException("a Boolean default for a Bool field, not a " + Json.typeName(v));
        }
        b.setBoolData(flag);
      }
      case Int8 -> b.setIntData((int) RowEncoder.integral(v, Byte.MIN_VALUE, Byte.MAX_VALUE));
      case Int16 -> b.setIntData((int) RowEncoder.integral(v, Short.MIN_VALUE, Short.MAX_VALUE));
      case Int32 -> b.setIntData((int) RowEncoder.integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case Int64 -> b.setLongData(RowEncoder.integral(v, Long.MIN_VALUE, Long.MAX_VALUE));
      case Float -> b.setFloatData(number(v).floatValue());
      case Double -> b.setDoubleData(number(v).doubleValue());
      case VarChar, String, Text -> {
        if (!(v instanceof String s)) {
          throw new IllegalArgumentException("a String default for a " + type + " field, not a " + Json.typeName(v));
        }
        b.setStringData(s);
      }
      case Geometry -> b.setStringData(geometry(v));
      default -> throw new IllegalArgumentException("a " + type + " field cannot have a default value");
    }
    return b.build();
  }

  private static Number number(Object v) {
    if (v instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException("a Number default, not a " + Json.typeName(v));
  }

  /** A default value read back from a schema, as rows carry it; null when the field has none. */
  static @Nullable Object defaultValueRead(FieldSchema f) {
    if (!f.hasDefaultValue()) {
      return null;
    }
    ValueField d = f.getDefaultValue();
    return switch (d.getDataCase()) {
      case BOOL_DATA -> d.getBoolData();
      case INT_DATA -> d.getIntData();
      case LONG_DATA -> d.getLongData();
      case FLOAT_DATA -> d.getFloatData();
      case DOUBLE_DATA -> d.getDoubleData();
      case STRING_DATA -> d.getStringData();
      case BYTES_DATA -> d.getBytesData().toByteArray();
      case TIMESTAMPTZ_DATA -> timestamptzRead(d.getTimestamptzData());
      case DATA_NOT_SET -> null;
    };
  }

  // ---- types this client does not know ----

  /**
   * Value {@code i} of a column of a type this client does not know (a newer server's type), with
   * the type named; never fails, so one unknown field does not fail a whole read. The value is read
   * by its payload when the payload is one this client knows (numbers, strings, bytes, JSON text);
   * otherwise it is the bytes of the column's whole payload (the same for every row).
   */
  static RawValue raw(FieldData fd, int i) {
    String type = fd.getType() == DataType.UNRECOGNIZED ? "DataType(" + fd.getTypeValue() + ")" : fd.getType().name();
    if (fd.hasScalars()) {
      ScalarField s = fd.getScalars();
      Object value = switch (s.getDataCase()) {
        case BOOL_DATA -> i < s.getBoolData().getDataCount() ? s.getBoolData().getData(i) : null;
        case INT_DATA -> i < s.getIntData().getDataCount() ? s.getIntData().getData(i) : null;
        case LONG_DATA -> i < s.getLongData().getDataCount() ? s.getLongData().getData(i) : null;
        case FLOAT_DATA -> i < s.getFloatData().getDataCount() ? s.getFloatData().getData(i) : null;
        case DOUBLE_DATA -> i < s.getDoubleData().getDataCount() ? s.getDoubleData().getData(i) : null;
        case STRING_DATA -> i < s.getStringData().getDataCount() ? s.getStringData().getData(i) : null;
        case BYTES_DATA -> i < s.getBytesData().getDataCount() ? s.getBytesData().getData(i).toByteArray() : null;
        case JSON_DATA -> i < s.getJsonData().getDataCount() ? s.getJsonData().getData(i).toStringUtf8() : null;
        case GEOMETRY_WKT_DATA -> i < s.getGeometryWktData().getDataCount() ? s.getGeometryWktData().getData(i) : null;
        case GEOMETRY_DATA -> i < s.getGeometryData().getDataCount() ? s.getGeometryData().getData(i).toByteArray() : null;
        case TIMESTAMPTZ_DATA -> i < s.getTimestamptzData().getDataCount() ? s.getTimestamptzData().getData(i) : null;
        default -> s.toByteArray();
      };
      return new RawValue(type, value);
    }
    if (fd.hasVectors()) {
      return new RawValue(type, fd.getVectors().toByteArray());
    }
    if (fd.hasStructArrays()) {
      return new RawValue(type, fd.getStructArrays().toByteArray());
    }
    return new RawValue(type, ByteString.EMPTY.toByteArray());
  }

  /** The type names rows use in messages, in upper case as Milvus spells the payloads. */
  static String payloadName(ScalarField s) {
    return s.getDataCase().name().toLowerCase(Locale.ROOT);
  }
}
