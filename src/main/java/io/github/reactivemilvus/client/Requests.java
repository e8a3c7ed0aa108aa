package io.github.reactivemilvus.client;

import com.google.protobuf.ByteString;
import io.github.reactivemilvus.proto.CollectionSchema;
import io.github.reactivemilvus.proto.CreateIndexRequest;
import io.github.reactivemilvus.proto.DslType;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.HybridSearchRequest;
import io.github.reactivemilvus.proto.InsertRequest;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.PlaceholderGroup;
import io.github.reactivemilvus.proto.PlaceholderType;
import io.github.reactivemilvus.proto.PlaceholderValue;
import io.github.reactivemilvus.proto.QueryRequest;
import io.github.reactivemilvus.proto.SearchRequest;
import io.github.reactivemilvus.proto.UpsertRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Builds the protocol requests of {@link MilvusClient}: searches (with their placeholder group of
 * query vectors), hybrid searches, queries, index creation, writes, and the expression literals of
 * primary keys. Stateless.
 */
final class Requests {
  private Requests() {}

  static SearchRequest searchRequest(RowEncoder codec, Search s) {
    return searchRequest(codec, s, null, 0, null);
  }

  /**
   * A search; its own group-by, else the one given (the group-by of the hybrid search it is part of,
   * which the server applies to each list as well), else none. The group-by field is added to the
   * output fields, so that each hit has its group value even from a server that does not send
   * {@code group_by_field_value}.
   */
  static SearchRequest searchRequest(RowEncoder codec, Search s, @Nullable String groupBy, int groupSize,
      @Nullable Boolean strict) {
    FieldSchema field = vectorField(codec.schema(), s.annsField);
    String group = s.groupByField != null ? s.groupByField : groupBy;
    SearchRequest.Builder b = SearchRequest.newBuilder().setCollectionName(s.collection)
        .addAllPartitionNames(s.partitions).setDsl(s.filter).setDslType(DslType.BoolExprV1)
        .addAllOutputFields(withGroupField(s.outputFields, group)).setNq(s.vectors.size())
        .setPlaceholderGroup(placeholders(field, s.vectors))
        .addSearchParams(kv("anns_field", field.getName()))
        .addSearchParams(kv("topk", Integer.toString(s.limit)))
        .addSearchParams(kv("offset", Integer.toString(s.offset)))
        .addSearchParams(kv("params", Json.write(s.params)))
        .addSearchParams(kv("round_decimal", "-1"))
        .putAllExprTemplateValues(FilterParams.encode(s.filterParams));
    if (s.groupByField != null) {
      addGroupBy(b::addSearchParams, s.groupByField, s.groupSize, s.strictGroupSize);
    } else {
      addGroupBy(b::addSearchParams, groupBy, groupSize, strict);
    }
    if (!s.metricType.isEmpty()) {
      b.addSearchParams(kv("metric_type", s.metricType));
    }
    if (s.consistency == null) {
      b.setUseDefaultConsistency(true);
    } else {
      b.setConsistencyLevelValue(s.consistency.code());
    }
    return b.build();
  }

  static FieldSchema vectorField(CollectionSchema schema, String name) {
    List<FieldSchema> vectors = new ArrayList<>();
    for (FieldSchema f : schema.getFieldsList()) {
      if (f.getDataType().getNumber() >= 100 && f.getDataType().getNumber() < 200) {
        if (f.getName().equals(name)) {
          return f;
        }
        vectors.add(f);
      }
    }
    if (!name.isEmpty()) {
      throw new IllegalArgumentException("collection '" + schema.getName() + "' has no vector field '" + name + "'");
    }
    if (vectors.size() != 1) {
      throw new IllegalArgumentException("collection '" + schema.getName() + "' has " + vectors.size()
          + " vector fields: name one with annsField");
    }
    return vectors.get(0);
  }

  static ByteString placeholders(FieldSchema field, List<Object> vectors) {
    if (vectors.get(0) instanceof CharSequence) {
      // full-text search: the texts go as VarChar, the server's BM25 function turns them into sparse vectors
      if (field.getDataType() != io.github.reactivemilvus.proto.DataType.SparseFloatVector) {
        throw new IllegalArgumentException("a text search needs the sparse output field of a BM25 function; field '"
            + field.getName() + "' is " + field.getDataType());
      }
      PlaceholderValue.Builder value = PlaceholderValue.newBuilder().setTag("$0").setType(PlaceholderType.VarChar);
      for (Object text : vectors) {
        value.addValues(ByteString.copyFromUtf8(text.toString()));
      }
      return PlaceholderGroup.newBuilder().addPlaceholders(value).build().toByteString();
    }
    // the vectors are encoded as one column of the field's type, then split per vector (a function output
    // field takes a query vector too: the encoder refuses it only as a column to write)
    FieldSchema column = field.toBuilder().setNullable(false).clearDefaultValue().setIsFunctionOutput(false).build();
    RowEncoder codec = new RowEncoder(CollectionSchema.newBuilder().addFields(column).build());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Object v : vectors) {
      rows.add(Map.of(field.getName(), v));
    }
    FieldData data;
    try {
      data = codec.encode(rows, 0, true).get(0);
    } catch (RowConversionException e) {
      String message = String.valueOf(e.getMessage()); // "row N, field 'f': ...", never null
      throw new IllegalArgumentException("query vector " + e.rowIndex() + " for field '" + field.getName() + "': "
          + message.substring(message.indexOf(": ") + 2), e);
    }
    PlaceholderValue.Builder value = PlaceholderValue.newBuilder().setTag("$0");
    int dim = RowEncoder.intParam(field, "dim", 0);
    switch (field.getDataType()) {
      case FloatVector -> {
        value.setType(PlaceholderType.FloatVector);
        List<Float> floats = data.getVectors().getFloatVector().getDataList();
        for (int i = 0; i < vectors.size(); i++) {
          ByteBuffer b = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
          for (int k = 0; k < dim; k++) {
            b.putFloat(floats.get(i * dim + k));
          }
          value.addValues(ByteString.copyFrom(b.array()));
        }
      }
      case BinaryVector -> {
        value.setType(PlaceholderType.BinaryVector);
        split(value, data.getVectors().getBinaryVector(), dim / 8, vectors.size());
      }
      case Float16Vector -> {
        value.setType(PlaceholderType.Float16Vector);
        split(value, data.getVectors().getFloat16Vector(), 2 * dim, vectors.size());
      }
      case BFloat16Vector -> {
        value.setType(PlaceholderType.BFloat16Vector);
        split(value, data.getVectors().getBfloat16Vector(), 2 * dim, vectors.size());
      }
      case SparseFloatVector -> {
        value.setType(PlaceholderType.SparseFloatVector);
        value.addAllValues(data.getVectors().getSparseFloatVector().getContentsList());
      }
      default -> throw new IllegalArgumentException("cannot search field type " + field.getDataType());
    }
    return PlaceholderGroup.newBuilder().addPlaceholders(value).build().toByteString();
  }

  static void split(PlaceholderValue.Builder value, ByteString all, int size, int count) {
    for (int i = 0; i < count; i++) {
      value.addValues(all.substring(i * size, (i + 1) * size));
    }
  }

  static QueryRequest queryRequest(Query q, String filter, long limit, long offset, boolean iterator) {
    QueryRequest.Builder b = QueryRequest.newBuilder().setCollectionName(q.collection).setExpr(filter)
        .addAllOutputFields(q.outputFields).addAllPartitionNames(q.partitions)
        .putAllExprTemplateValues(FilterParams.encode(q.filterParams));
    if (limit > 0) {
      b.addQueryParams(kv("limit", Long.toString(limit)));
    }
    if (offset > 0) {
      b.addQueryParams(kv("offset", Long.toString(offset)));
    }
    if (iterator) {
      // asks the server for pages in primary key order, as pymilvus's query iterator does
      b.addQueryParams(kv("iterator", "True")).addQueryParams(kv("reduce_stop_for_best", "True"));
    }
    if (q.consistency == null) {
      b.setUseDefaultConsistency(true);
    } else {
      b.setConsistencyLevelValue(q.consistency.code());
    }
    return b.build();
  }

  static String idFilter(RowEncoder codec, List<Object> ids) {
    FieldSchema pk = codec.requirePrimary();
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no ids given");
    }
    return pk.getName() + " in " + listLiteral(pk, ids);
  }

  static String listLiteral(FieldSchema pk, List<Object> values) {
    StringBuilder b = new StringBuilder("[");
    for (Object v : values) {
      b.append(b.length() > 1 ? "," : "").append(literal(pk, v));
    }
    return b.append(']').toString();
  }

  /** A primary key as an expression literal; strings quoted and escaped. */
  static String literal(FieldSchema pk, Object v) {
    if (pk.getDataType() == io.github.reactivemilvus.proto.DataType.Int64) {
      if (!(v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
        throw new IllegalArgumentException("primary key '" + pk.getName() + "' is Int64; got a " + Json.typeName(v));
      }
      return v.toString();
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("primary key '" + pk.getName() + "' is VarChar; got a " + Json.typeName(v));
    }
    return Json.write(s);
  }

  static Object comparable(@Nullable Object v) {
    return v instanceof Comparable<?> ? v : String.valueOf(v);
  }

  static String and(String a, String b) {
    if (a.isBlank()) {
      return b;
    }
    if (b.isBlank()) {
      return a;
    }
    return "(" + a + ") and (" + b + ")";
  }

  static KeyValuePair kv(String key, String value) {
    return KeyValuePair.newBuilder().setKey(key).setValue(value).build();
  }

  static CreateIndexRequest createIndexRequest(String collection, IndexParam index) {
    CreateIndexRequest.Builder b = CreateIndexRequest.newBuilder().setCollectionName(collection)
        .setFieldName(index.fieldName()).setIndexName(index.indexName())
        .addExtraParams(kv("index_type", index.indexType()));
    if (!index.metricType().isEmpty()) {
      b.addExtraParams(kv("metric_type", index.metricType()));
    }
    if (!index.params().isEmpty()) {
      b.addExtraParams(kv("params", Json.write(index.params())));
    }
    return b.build();
  }

  static HybridSearchRequest hybridRequest(RowEncoder codec, HybridSearch hybrid) {
    HybridSearchRequest.Builder b = HybridSearchRequest.newBuilder().setCollectionName(hybrid.collection)
        .addAllOutputFields(withGroupField(hybrid.outputFields, hybrid.groupByField));
    if (hybrid.consistency == null) {
      b.setUseDefaultConsistency(true);
    } else {
      b.setConsistencyLevelValue(hybrid.consistency.code());
    }
    for (Search s : hybrid.searches) {
      // as pymilvus does: the hybrid's group-by goes to each search too
      b.addRequests(searchRequest(codec, s, hybrid.groupByField, hybrid.groupSize, hybrid.strictGroupSize));
    }
    // norm_score: the scores of each list are normalised before weighting (what pymilvus sends by default)
    Object params = hybrid.strategy.equals("rrf") ? Map.of("k", hybrid.rrfK)
        : Map.of("weights", hybrid.weights, "norm_score", true);
    b.addRankParams(kv("strategy", hybrid.strategy))
        .addRankParams(kv("params", Json.write(params)))
        .addRankParams(kv("limit", Integer.toString(hybrid.limit)))
        .addRankParams(kv("round_decimal", "-1"))
        .addRankParams(kv("offset", Integer.toString(hybrid.offset)));
    addGroupBy(b::addRankParams, hybrid.groupByField, hybrid.groupSize, hybrid.strictGroupSize);
    return b.build();
  }

  /** The output fields plus the group-by field (when there is one and it is not already asked for). */
  static List<String> withGroupField(List<String> outputFields, @Nullable String group) {
    if (group == null || outputFields.contains(group) || outputFields.contains("*")) {
      return outputFields;
    }
    List<String> out = new ArrayList<>(outputFields);
    out.add(group);
    return out;
  }

  /**
   * Group-by as top-level parameters (of a search, or the rank parameters of a hybrid search): the
   * server reads them there, not inside {@code params}. Booleans lower case, as JSON.
   */
  static void addGroupBy(Consumer<KeyValuePair> add, @Nullable String field, int size, @Nullable Boolean strict) {
    if (field == null) {
      return;
    }
    add.accept(kv("group_by_field", field));
    if (size > 0) {
      add.accept(kv("group_size", Integer.toString(size)));
    }
    if (strict != null) {
      add.accept(kv("strict_group_size", strict.toString()));
    }
  }

  static InsertRequest insertRequest(String collection, String partition, List<FieldData> columns, int rows) {
    return InsertRequest.newBuilder().setCollectionName(collection).setPartitionName(partition)
        .addAllFieldsData(columns).setNumRows(rows).build();
  }

  static UpsertRequest upsertRequest(String collection, String partition, List<FieldData> columns, int rows) {
    return UpsertRequest.newBuilder().setCollectionName(collection).setPartitionName(partition)
        .addAllFieldsData(columns).setNumRows(rows).build();
  }
}
