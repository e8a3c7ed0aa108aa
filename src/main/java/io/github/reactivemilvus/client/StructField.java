package io.github.reactivemilvus.client;

import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.StructArrayFieldSchema;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An array-of-structs field of a collection schema (Milvus 2.6+): each row holds a list of up to
 * {@link #maxCapacity()} structs, every struct having the same sub-fields (scalars and vectors).
 * Rows give and get the value as a {@code List<Map<String, Object>>}, one map per struct, keyed by
 * sub-field name. Immutable; made with {@link #builder(String, int)} and added with
 * {@link Schema.Builder#structField(StructField)}.
 *
 * <p>Sub-fields are declared as plain fields ({@code Field.varChar("text", 512)},
 * {@code Field.floatVector("emb", 768)}); on the wire each becomes an Array (scalars) or ArrayOfVector
 * (vectors) of that element type with the struct's {@code max_capacity}, as pymilvus and the Java SDK
 * send them. A struct field cannot be nullable in the 2.6 protocol this client speaks.
 */
public final class StructField {
  /** The sub-field types Milvus 2.6 accepts in a struct and this client writes. */
  private static final Set<DataType> SUB_FIELD_TYPES = EnumSet.of(DataType.Bool, DataType.Int8, DataType.Int16, DataType.Int32,
      DataType.Int64, DataType.Float, DataType.Double, DataType.VarChar, DataType.FloatVector, DataType.Float16Vector,
      DataType.BFloat16Vector, DataType.Int8Vector, DataType.BinaryVector);
  private static final String MAX_CAPACITY = "max_capacity";

  private final StructArrayFieldSchema proto;

  private StructField(StructArrayFieldSchema proto) {
    this.proto = proto;
  }

  /**
   * A builder for a struct field named {@code name} holding at most {@code maxCapacity} structs per row.
   * A null name throws {@link NullPointerException}; a blank name or a capacity below 1
   * {@link IllegalArgumentException}.
   */
  public static Builder builder(String name, int maxCapacity) {
    return new Builder(name, maxCapacity);
  }

  static StructField fromProto(StructArrayFieldSchema proto) {
    return new StructField(proto);
  }

  StructArrayFieldSchema toProto() {
    return proto;
  }

  /** The field's name (the key of its value in a row). */
  public String name() {
    return proto.getName();
  }

  /** The field's description; empty when none was given. */
  public String description() {
    return proto.getDescription();
  }

  /** The most structs a row may hold; 0 when the server did not report it. */
  public int maxCapacity() {
    return Math.max(0, StructArrays.maxCapacity(proto));
  }

  /**
   * The sub-fields as declared: plain names (the server's {@code struct[sub]} form stripped), the element
   * type as data type, type parameters without {@code max_capacity}. Immutable.
   */
  public List<Field> fields() {
    List<Field> fields = new ArrayList<>();
    for (FieldSchema sub : proto.getFieldsList()) {
      FieldSchema.Builder declared = sub.toBuilder().setName(StructArrays.subName(proto.getName(), sub.getName())).clearTypeParams();
      if (sub.getDataType() == io.github.reactivemilvus.proto.DataType.Array
          || sub.getDataType() == io.github.reactivemilvus.proto.DataType.ArrayOfVector) {
        declared.setDataType(sub.getElementType()).setElementType(io.github.reactivemilvus.proto.DataType.None);
      }
      sub.getTypeParamsList().stream().filter(kv -> !kv.getKey().equals(MAX_CAPACITY)).forEach(declared::addTypeParams);
      fields.add(Field.fromProto(declared.build()));
    }
    return List.copyOf(fields);
  }

  /** The struct's own type parameters (for example {@code mmap.enabled}), immutable. */
  public Map<String, String> typeParams() {
    Map<String, String> m = new LinkedHashMap<>();
    proto.getTypeParamsList().forEach(kv -> m.put(kv.getKey(), kv.getValue()));
    return Map.copyOf(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StructField f && f.proto.equals(proto);
  }

  @Override
  public int hashCode() {
    return proto.hashCode();
  }

  @Override
  public String toString() {
    return "StructField{" + name() + " max_capacity=" + maxCapacity() + " " + fields() + "}";
  }

  /** Not thread-safe; {@link #build()} makes an immutable struct field. */
  public static final class Builder {
    private final String name;
    private final int maxCapacity;
    private final List<Field> fields = new ArrayList<>();
    private final Map<String, String> typeParams = new LinkedHashMap<>();
    private String description = "";

    private Builder(String name, int maxCapacity) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a struct field name must not be blank");
      }
      if (maxCapacity <= 0) {
        throw new IllegalArgumentException("max_capacity of struct field '" + name + "' must be positive, was " + maxCapacity);
      }
      this.name = name;
      this.maxCapacity = maxCapacity;
    }

    /**
     * Adds a sub-field (not null): a scalar (Bool, Int8 to Int64, Float, Double, VarChar) or a vector
     * (FloatVector, Float16Vector, BFloat16Vector, Int8Vector, BinaryVector) that is neither primary,
     * partition nor clustering key, auto-id, nullable, nor has a default value, with no {@code max_capacity}
     * or element type of its own. Anything else, or a second sub-field of the same name, throws
     * {@link IllegalArgumentException} naming the struct and sub-field.
     */
    public Builder field(Field field) {
      Objects.requireNonNull(field, "field");
      String where = "sub-field '" + field.name() + "' of struct field '" + name + "'";
      if (!SUB_FIELD_TYPES.contains(field.dataType())) {
        throw new IllegalArgumentException(where + " is of type " + field.dataType() + "; a struct holds " + SUB_FIELD_TYPES);
      }
      FieldSchema p = field.toProto();
      if (p.getIsPrimaryKey() || p.getIsPartitionKey() || p.getIsClusteringKey() || p.getAutoID()) {
        throw new IllegalArgumentException(where + " cannot be a primary, partition or clustering key, nor auto-id");
      }
      if (p.getNullable() || p.hasDefaultValue()) {
        throw new IllegalArgumentException(where + " cannot be nullable nor have a default value");
      }
      if (field.typeParams().containsKey(MAX_CAPACITY) || field.elementType() != DataType.None) {
        throw new IllegalArgumentException(where + " cannot have its own max_capacity or element type: the struct's "
            + maxCapacity + " applies to every sub-field");
      }
      if (field.name().contains("[") || field.name().contains("]")) {
        throw new IllegalArgumentException(where + " must not contain '[' or ']'");
      }
      if (fields.stream().anyMatch(f -> f.name().equals(field.name()))) {
        throw new IllegalArgumentException("duplicate " + where);
      }
      fields.add(field);
      return this;
    }

    /** Builds and adds a sub-field, as {@link #field(Field)}. */
    public Builder field(Field.Builder field) {
      return field(Objects.requireNonNull(field, "field").build());
    }

    /** A free-text description; not null. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** A type parameter of the struct itself, for example {@code mmap.enabled = true}; {@code max_capacity} is refused. */
    public Builder typeParam(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (key.equals(MAX_CAPACITY)) {
        throw new IllegalArgumentException("max_capacity of struct field '" + name + "' is given to builder(name, maxCapacity)");
      }
      typeParams.put(key, value);
      return this;
    }

    /** The immutable struct field; throws {@link IllegalArgumentException} when it has no sub-field. */
    public StructField build() {
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("struct field '" + name + "' needs at least one sub-field");
      }
      StructArrayFieldSchema.Builder b = StructArrayFieldSchema.newBuilder().setName(name).setDescription(description);
      typeParams.forEach((k, v) -> b.addTypeParams(KeyValuePair.newBuilder().setKey(k).setValue(v)));
      for (Field f : fields) {
        FieldSchema declared = f.toProto();
        b.addFields(declared.toBuilder()
            .setDataType(f.dataType().isVector() ? io.github.reactivemilvus.proto.DataType.ArrayOfVector
                : io.github.reactivemilvus.proto.DataType.Array)
            .setElementType(declared.getDataType())
            .addTypeParams(KeyValuePair.newBuilder().setKey(MAX_CAPACITY).setValue(Integer.toString(maxCapacity))));
      }
      return new StructField(b.build());
    }
  }
}
