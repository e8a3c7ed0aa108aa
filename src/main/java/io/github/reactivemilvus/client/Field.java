package io.github.reactivemilvus.client;

import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.ValueField;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One field of a collection schema. Immutable; made with {@link #builder(String, DataType)} or
 * the shortcuts ({@link #int64(String)}, {@link #varChar(String, int)},
 * {@link #floatVector(String, int)}, ...). Types are {@link DataType}.
 */
public final class Field {
  private final FieldSchema proto;

  private Field(FieldSchema proto) {
    this.proto = proto;
  }

  /**
   * A builder for a field named {@code name} of {@code type}; a null argument throws
   * {@link NullPointerException}, a blank name {@link IllegalArgumentException}.
   */
  public static Builder builder(String name, DataType type) {
    return new Builder(name, type);
  }

  /** An Int64 field. */
  public static Builder int64(String name) {
    return builder(name, DataType.Int64);
  }

  /** A VarChar field of at most {@code maxLength} UTF-8 bytes. */
  public static Builder varChar(String name, int maxLength) {
    return builder(name, DataType.VarChar).maxLength(maxLength);
  }

  /** A FloatVector field of {@code dim} dimensions. */
  public static Builder floatVector(String name, int dim) {
    return builder(name, DataType.FloatVector).dim(dim);
  }

  static Field fromProto(FieldSchema proto) {
    return new Field(proto);
  }

  FieldSchema toProto() {
    return proto;
  }

  /** The field's name. */
  public String name() {
    return proto.getName();
  }

  /** The field's data type. */
  public DataType dataType() {
    return DataType.fromCode(proto.getDataTypeValue());
  }

  /** Whether this is the primary key field. */
  public boolean isPrimaryKey() {
    return proto.getIsPrimaryKey();
  }

  /** Whether the server assigns the primary key values. */
  public boolean isAutoId() {
    return proto.getAutoID();
  }

  /** Whether rows may hold null (or omit the field). */
  public boolean isNullable() {
    return proto.getNullable();
  }

  /** Whether the server partitions rows by this field. */
  public boolean isPartitionKey() {
    return proto.getIsPartitionKey();
  }

  /** For arrays, the element type; {@code None} otherwise. */
  public DataType elementType() {
    return DataType.fromCode(proto.getElementTypeValue());
  }

  /** Type parameters as the server keeps them, for example {@code dim}, {@code max_length}. */
  public Map<String, String> typeParams() {
    Map<String, String> m = new LinkedHashMap<>();
    proto.getTypeParamsList().forEach(kv -> m.put(kv.getKey(), kv.getValue()));
    return Map.copyOf(m);
  }

  /** The field's description; empty when none was given. */
  public String description() {
    return proto.getDescription();
  }

  /** The Java types a row may hold for this field (see the type table in docs/client.md). */
  public String acceptedJavaTypes() {
    return RowEncoder.expected(proto);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Field f && f.proto.equals(proto);
  }

  @Override
  public int hashCode() {
    return proto.hashCode();
  }

  @Override
  public String toString() {
    return "Field{" + name() + " " + dataType() + (isPrimaryKey() ? " primary" : "") + " " + typeParams() + "}";
  }

  /** Not thread-safe; {@link #build()} makes an immutable field. */
  public static final class Builder {
    private final FieldSchema.Builder b = FieldSchema.newBuilder();
    private final Map<String, String> typeParams = new LinkedHashMap<>();
    private @Nullable Object defaultValue;

    private Builder(String name, DataType type) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a field name must not be blank");
      }
      if (type == DataType.Unknown || type == DataType.None) {
        throw new IllegalArgumentException("field '" + name + "' needs a data type, was " + type);
      }
      b.setName(name).setDataTypeValue(type.code());
    }

    /** Makes this the primary key (Int64 or VarChar; {@link #build()} checks). */
    public Builder primaryKey() {
      b.setIsPrimaryKey(true);
      return this;
    }

    /** The server assigns the (Int64) primary key; rows must not carry it on insert. */
    public Builder autoId(boolean autoId) {
      b.setAutoID(autoId);
      return this;
    }

    /** A free-text description; not null. */
    public Builder description(String description) {
      b.setDescription(Objects.requireNonNull(description, "description"));
      return this;
    }

    /** Rows may hold null (or omit the field); servers from Milvus 2.5 support this. */
    public Builder nullable(boolean nullable) {
      b.setNullable(nullable);
      return this;
    }

    /**
     * The value the server stores for a null or missing value (scalars but arrays and JSON; servers
     * from Milvus 2.5). A Boolean, Integer/Long, Float/Double or String matching the field type.
     */
    public Builder defaultValue(Object value) {
      this.defaultValue = Objects.requireNonNull(value, "value");
      return this;
    }

    /** Makes this the partition key: the server spreads rows over partitions by its value. */
    public Builder partitionKey() {
      b.setIsPartitionKey(true);
      return this;
    }

    /** Makes this the clustering key: the server orders segment data by it on compaction. */
    public Builder clusteringKey() {
      b.setIsClusteringKey(true);
      return this;
    }

    /** The most UTF-8 bytes of a VarChar value (or of each element of a VarChar array); must be positive. */
    public Builder maxLength(int maxLength) {
      return positive("max_length", maxLength);
    }

    /** A vector field's dimension; must be positive. */
    public Builder dim(int dim) {
      return positive("dim", dim);
    }

    /** For an Array field: the element type (a scalar) and the most elements per row. */
    public Builder elementType(DataType elementType, int maxCapacity) {
      b.setElementTypeValue(Objects.requireNonNull(elementType, "elementType").code());
      return positive("max_capacity", maxCapacity);
    }

    /** Any other type parameter, for example {@code enable_analyzer = true}. */
    public Builder typeParam(String key, String value) {
      typeParams.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    private Builder positive(String key, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(key + " must be positive, was " + value);
      }
      typeParams.put(key, Integer.toString(value));
      return this;
    }

    /**
     * The immutable field. Throws {@link IllegalArgumentException} when a required type parameter is missing
     * (dim of a dense vector, maxLength of a VarChar, elementType and maxCapacity of an Array), when a
     * primary key is neither Int64 nor VarChar, or when the default value does not fit the type.
     */
    public Field build() {
      DataType type = DataType.fromCode(b.getDataTypeValue());
      DataType elementType = DataType.fromCode(b.getElementTypeValue());
      boolean vector = type.isVector();
      if (vector && type != DataType.SparseFloatVector && !typeParams.containsKey("dim")) {
        throw new IllegalArgumentException("vector field '" + b.getName() + "' needs dim");
      }
      if (type == DataType.VarChar && !typeParams.containsKey("max_length")) {
        throw new IllegalArgumentException("VarChar field '" + b.getName() + "' needs maxLength");
      }
      if (type == DataType.Array && (elementType == DataType.None || !typeParams.containsKey("max_capacity"))) {
        throw new IllegalArgumentException("Array field '" + b.getName() + "' needs elementType and maxCapacity");
      }
      if (type == DataType.Array && elementType == DataType.VarChar && !typeParams.containsKey("max_length")) {
        throw new IllegalArgumentException("Array of VarChar field '" + b.getName() + "' needs maxLength");
      }
      if (b.getIsPrimaryKey() && type != DataType.Int64 && type != DataType.VarChar) {
        throw new IllegalArgumentException("primary key '" + b.getName() + "' must be Int64 or VarChar, was " + type);
      }
      FieldSchema.Builder copy = b.clone().clearTypeParams();
      typeParams.forEach((k, v) -> copy.addTypeParams(KeyValuePair.newBuilder().setKey(k).setValue(v)));
      if (defaultValue != null) {
        copy.setDefaultValue(defaultValueOf(copy.getName(), type, defaultValue));
      }
      return new Field(copy.build());
    }

    private static ValueField defaultValueOf(String name, DataType type, Object v) {
      ValueField.Builder value = ValueField.newBuilder();
      switch (type) {
        case Bool -> value.setBoolData(cast(name, v, Boolean.class));
        // checked as a row's value is: in range for the type, never truncated
        case Int8 -> value.setIntData((int) whole(name, cast(name, v, Integer.class), Byte.MIN_VALUE, Byte.MAX_VALUE));
        case Int16 -> value.setIntData((int) whole(name, cast(name, v, Integer.class), Short.MIN_VALUE, Short.MAX_VALUE));
        case Int32 -> value.setIntData(cast(name, v, Integer.class));
        case Int64 -> value.setLongData(whole(name, cast(name, v, Number.class), Long.MIN_VALUE, Long.MAX_VALUE));
        case Float -> value.setFloatData(((Number) cast(name, v, Number.class)).floatValue());
        case Double -> value.setDoubleData(((Number) cast(name, v, Number.class)).doubleValue());
        case VarChar -> value.setStringData(cast(name, v, String.class));
        default -> throw new IllegalArgumentException("field '" + name + "' of type " + type + " cannot have a default value");
      }
      return value.build();
    }

    private static long whole(String name, Object v, long min, long max) {
      try {
        return RowEncoder.integral(v, min, max);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("default value of '" + name + "' must be a whole number in [" + min + ", " + max
            + "]", e);
      }
    }

    private static <T> T cast(String name, Object v, Class<T> type) {
      if (!type.isInstance(v)) {
        throw new IllegalArgumentException("default value of '" + name + "' must be a " + type.getSimpleName()
            + ", was a " + v.getClass().getName());
      }
      return type.cast(v);
    }
  }
}
