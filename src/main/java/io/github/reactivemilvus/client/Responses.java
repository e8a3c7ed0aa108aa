package io.github.reactivemilvus.client;

import io.github.reactivemilvus.proto.DescribeCollectionResponse;
import io.github.reactivemilvus.proto.DescribeIndexResponse;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.IDs;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.MutationResult;
import io.github.reactivemilvus.proto.QueryResults;
import io.github.reactivemilvus.proto.SearchResultData;
import io.github.reactivemilvus.proto.SearchResults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns the protocol responses of {@link MilvusClient} into the client's types: query rows,
 * search hits, ids, descriptions, states. Stateless.
 */
final class Responses {
  private Responses() {}

  static List<Map<String, Object>> rows(QueryResults r) {
    int count = 0;
    for (FieldData fd : r.getFieldsDataList()) {
      if (!fd.getIsDynamic()) {
        count = Math.max(count, countOf(fd));
      }
    }
    if (count == 0 && r.getFieldsDataCount() > 0) {
      count = countOf(r.getFieldsData(0));
    }
    return RowDecoder.decode(r.getFieldsDataList(), count);
  }

  static int countOf(FieldData fd) {
    return fd.getValidDataCount() > 0 ? fd.getValidDataCount() : RowDecoder.size(fd);
  }

  /** The group-by value of each hit (the server's {@code group_by_field_value} column). */
  static List<@Nullable Object> groupValues(FieldData column, int total) {
    List<@Nullable Object> out = new ArrayList<>(total);
    for (Map<String, Object> row : RowDecoder.decode(List.of(column), total)) {
      out.add(row.isEmpty() ? null : row.values().iterator().next());
    }
    return out;
  }

  static List<List<Hit>> hits(RowEncoder codec, SearchResults r) {
    return hits(codec, r, null, List.of());
  }

  /**
   * The hits; with group-by ({@code groupField}), each with its group value: the server's
   * {@code group_by_field_value}, else the group-by field among the hit's fields (added to the output
   * fields by {@link Requests#withGroupField}; removed again when {@code asked} does not name it).
   */
  static List<List<Hit>> hits(RowEncoder codec, SearchResults r, @Nullable String groupField, List<String> asked) {
    SearchResultData d = r.getResults();
    List<Object> ids = ids(d.getIds());
    int total = ids.size();
    FieldSchema pk = codec.primary();
    String pkName = pk == null ? "" : pk.getName();
    List<@Nullable Object> groups = d.hasGroupByFieldValue() && RowDecoder.size(d.getGroupByFieldValue()) >= total
        ? groupValues(d.getGroupByFieldValue(), total) : null;
    boolean drop = groupField != null && !asked.contains(groupField) && !asked.contains("*");
    // each row decoded once into the map the hit keeps (RowDecoder.decodeRows); with group-by the
    // group field may be read from the row and then removed, so those rows are plain maps
    List<Map<String, Object>> fields = groupField == null
        ? RowDecoder.decodeRows(d.getFieldsDataList(), total, pkName) : RowDecoder.decode(d.getFieldsDataList(), total);
    List<List<Hit>> out = new ArrayList<>((int) Math.max(0, Math.min(d.getNumQueries(), 1024)));
    int at = 0;
    for (int q = 0; q < d.getNumQueries(); q++) {
      int n = q < d.getTopksCount() ? (int) d.getTopks(q) : 0;
      Hit[] list = new Hit[n];
      for (int i = 0; i < n; i++, at++) {
        Map<String, Object> row = fields.get(at);
        Object group = null;
        if (groupField != null) {
          row.remove(pkName);
          group = groups != null ? groups.get(at) : row.get(groupField);
          if (drop) {
            row.remove(groupField);
          }
        }
        list[i] = new Hit(ids.get(at), d.getScores(at), row, group);
      }
      out.add(List.of(list));
    }
    return List.copyOf(out);
  }

  /** The keys of an answer, int or string, over the message's own column (see {@link IdList}). */
  static List<Object> ids(IDs ids) {
    return ids.hasIntId() ? new IdList(ids.getIntId().getDataList())
        : ids.hasStrId() ? new IdList(ids.getStrId().getDataList()) : List.of();
  }

  static Map<String, String> toMap(List<KeyValuePair> pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    pairs.forEach(kv -> m.put(kv.getKey(), kv.getValue()));
    return m;
  }

  static CollectionDescription collection(DescribeCollectionResponse r) {
    return new CollectionDescription(r.getCollectionName(), r.getCollectionID(), r.getDbName(),
        Schema.fromProto(r.getSchema()), r.getShardsNum(), r.getAliasesList(),
        ConsistencyLevel.fromCode(r.getConsistencyLevelValue()), toMap(r.getPropertiesList()));
  }

  static List<IndexDescription> indexes(DescribeIndexResponse r) {
    List<IndexDescription> out = new ArrayList<>();
    r.getIndexDescriptionsList().forEach(d -> out.add(new IndexDescription(d.getIndexName(), d.getFieldName(),
        toMap(d.getParamsList()), indexState(d.getStateValue()), d.getIndexStateFailReason(), d.getIndexedRows(),
        d.getTotalRows(), d.getPendingIndexRows())));
    return List.copyOf(out);
  }

  static IndexState indexState(int code) {
    return switch (code) {
      case 1 -> IndexState.UNISSUED;
      case 2 -> IndexState.IN_PROGRESS;
      case 3 -> IndexState.FINISHED;
      case 4 -> IndexState.FAILED;
      case 5 -> IndexState.RETRY;
      default -> IndexState.NONE;
    };
  }

  static LoadState loadState(int code) {
    return switch (code) {
      case 1 -> LoadState.NOT_LOAD;
      case 2 -> LoadState.LOADING;
      case 3 -> LoadState.LOADED;
      default -> LoadState.NOT_EXIST;
    };
  }

  static WriteResult writeResult(long batch, long firstRow, int rows, MutationResult r) {
    return new WriteResult(batch, firstRow, rows, ids(r.getIDs()), r.getInsertCnt(), r.getUpsertCnt(), r.getDeleteCnt(),
        r.getTimestamp());
  }
}
