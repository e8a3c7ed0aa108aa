package io.github.reactivemilvus.client;

import io.github.reactivemilvus.proto.CollectionSchema;
import io.github.reactivemilvus.proto.FunctionSchema;
import io.github.reactivemilvus.proto.FunctionType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A collection schema: fields, whether undeclared keys go to the dynamic field, and functions
 * (for example BM25, which fills a sparse vector field from a VarChar field on servers that have
 * it, Milvus 2.5+). Immutable; built with {@link #builder()}.
 */
public final class Schema {
  private final CollectionSchema proto;

  private Schema(CollectionSchema proto) {
    this.proto = proto;
  }

  /** A builder for an empty schema, dynamic field disabled. */
  public static Builder builder() {
    return new Builder();
  }

  static Schema fromProto(CollectionSchema proto) {
    return new Schema(proto);
  }

  CollectionSchema toProto(String collectionName) {
    return proto.toBuilder().setName(collectionName).build();
  }

  CollectionSchema proto() {
    return proto;
  }

  /** The declared fields in order (the dynamic field excluded), immutable. */
  public List<Field> fields() {
    List<Field> fields = new ArrayList<>();
    proto.getFieldsList().stream().filter(f -> !f.getIsDynamic()).forEach(f -> fields.add(Field.fromProto(f)));
    return List.copyOf(fields);
  }

  /** The field, or null. */
  public @Nullable Field field(String name) {
    return fields().stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
  }

  /** The primary key field, or null when there is none. */
  public @Nullable Field primaryKey() {
    return fields().stream().filter(Field::isPrimaryKey).findFirst().orElse(null);
  }

  /** The array-of-structs fields in order, immutable (empty when the schema has none). */
  public List<StructField> structFields() {
    List<StructField> structs = new ArrayList<>();
    proto.getStructArrayFieldsList().forEach(s -> structs.add(StructField.fromProto(s)));
    return List.copyOf(structs);
  }

  /** Whether keys that are not fields are kept in the dynamic field. */
  public boolean dynamicFieldEnabled() {
    return proto.getEnableDynamicField();
  }

  /** The schema's description; empty when none was given. */
  public String description() {
    return proto.getDescription();
  }

  /** Names of the schema's functions (for example a BM25 function). */
  public List<String> functionNames() {
    List<String> names = new ArrayList<>();
    proto.getFunctionsList().forEach(f -> names.add(f.getName()));
    return List.copyOf(names);
  }

  @Override
  public String toString() {
    return "Schema{fields=" + fields() + (proto.getStructArrayFieldsCount() > 0 ? ", structFields=" + structFields() : "")
        + ", dynamic=" + dynamicFieldEnabled() + "}";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final CollectionSchema.Builder b = CollectionSchema.newBuilder();
    private final Set<String> names = new HashSet<>();

    private Builder() {}

    /** A free-text description of the collection; not null. */
    public Builder description(String description) {
      b.setDescription(Objects.requireNonNull(description, "description"));
      return this;
    }

    /** Keys of a row that are not fields are kept in the dynamic field ({@code $meta}). */
    public Builder enableDynamicField(boolean enable) {
      b.setEnableDynamicField(enable);
      return this;
    }

    /** Adds a field (not null); a second field of the same name throws {@link IllegalArgumentException}. */
    public Builder field(Field field) {
      Objects.requireNonNull(field, "field");
      if (!names.add(field.name())) {
        throw new IllegalArgumentException("duplicate field '" + field.name() + "'");
      }
      b.addFields(field.toProto());
      return this;
    }

    /** Builds and adds a field, as {@link #field(Field)}. */
    public Builder field(Field.Builder field) {
      return field(field.build());
    }

    /**
     * Adds an array-of-structs field (not null; Milvus 2.6+); a name already used by a field or struct
     * field throws {@link IllegalArgumentException}.
     */
    public Builder structField(StructField field) {
      Objects.requireNonNull(field, "field");
      if (!names.add(field.name())) {
        throw new IllegalArgumentException("duplicate field '" + field.name() + "'");
      }
      b.addStructArrayFields(field.toProto());
      return this;
    }

    /** Builds and adds an array-of-structs field, as {@link #structField(StructField)}. */
    public Builder structField(StructField.Builder field) {
      return structField(Objects.requireNonNull(field, "field").build());
    }

    /**
     * A BM25 function: the server computes {@code outputSparseField} (a SparseFloatVector field
     * marked as function output) from {@code inputTextField} (a VarChar field with
     * {@code enable_analyzer=true}). Milvus 2.5+ only.
     */
    public Builder bm25(String name, String inputTextField, String outputSparseField) {
      b.addFunctions(FunctionSchema.newBuilder().setName(name).setType(FunctionType.BM25)
          .addInputFieldNames(inputTextField).addOutputFieldNames(outputSparseField));
      return this;
    }

    /**
     * The immutable schema. Throws {@link IllegalArgumentException} unless it has exactly one primary key and
     * at least one vector field, or when a function names a field the schema lacks.
     */
    public Schema build() {
      long primaries = b.getFieldsList().stream().filter(f -> f.getIsPrimaryKey()).count();
      if (primaries != 1) {
        throw new IllegalArgumentException("a schema needs exactly one primary key field, has " + primaries);
      }
      if (b.getFieldsList().stream().noneMatch(f -> f.getDataType().getNumber() >= 100 && f.getDataType().getNumber() < 200)) {
        throw new IllegalArgumentException("a schema needs at least one vector field");
      }
      CollectionSchema.Builder copy = b.clone();
      Set<String> fieldNames = new HashSet<>();
      copy.getFieldsList().forEach(f -> fieldNames.add(f.getName()));
      for (FunctionSchema fn : copy.getFunctionsList()) {
        for (String in : fn.getInputFieldNamesList()) {
          if (!fieldNames.contains(in)) {
            throw new IllegalArgumentException("function '" + fn.getName() + "' reads unknown field '" + in + "'");
          }
        }
        for (String out : fn.getOutputFieldNamesList()) {
          if (!fieldNames.contains(out)) {
            throw new IllegalArgumentException("function '" + fn.getName() + "' writes unknown field '" + out + "'");
          }
          for (int i = 0; i < copy.getFieldsCount(); i++) {
            if (copy.getFields(i).getName().equals(out)) {
              copy.setFields(i, copy.getFields(i).toBuilder().setIsFunctionOutput(true));
            }
          }
        }
      }
      return new Schema(copy.build());
    }
  }
}
