package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.proto.CollectionSchema;
import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.IDs;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.QueryRequest;
import io.github.reactivemilvus.proto.QueryResults;
import io.github.reactivemilvus.proto.ScalarField;
import io.github.reactivemilvus.proto.SearchRequest;
import io.github.reactivemilvus.proto.SearchResultData;
import io.github.reactivemilvus.proto.SearchResults;
import io.github.reactivemilvus.proto.Status;
import io.github.reactivemilvus.proto.TemplateValue;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Filter templates ({@code expr_params}) on the wire: no test server evaluates them (Milvus Lite
 * 3.2.2 rejects the {@code {name}} syntax, Lite 2.5.1 fails with UNKNOWN, Milvus 2.3.5 predates
 * them), so a fake server records what the client sends: the expression unchanged and each value in
 * {@code expr_template_values} with its type. Also the top-level group-by and range parameters.
 */
class FilterTemplateRequestTest {
  private static final Duration WAIT = FakeCollectionServer.WAIT;
  private final List<SearchRequest> searches = new CopyOnWriteArrayList<>();
  private final List<QueryRequest> queries = new CopyOnWriteArrayList<>();
  private final Fake fake = new Fake();
  private MilvusClient client;

  @BeforeEach
  void start() throws Exception {
    client = fake.start();
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  @Test
  void searchSendsTheTemplateValuesApartFromTheExpression() {
    String userInput = "x\" or id > 0 or tag == \"";
    client.search(Search.builder("docs").vector(new float[] {1, 0}).filter("tag == {tag} and id in {ids} and score > {min}")
        .filterParam("tag", userInput).filterParam("ids", List.of(1L, 2L, 3L)).filterParam("min", 0.5)
        .filterParam("flag", true).filterParam("tags", List.of("a", "b")).build()).block(WAIT);
    SearchRequest sent = searches.get(0);
    assertThat(sent.getDsl()).isEqualTo("tag == {tag} and id in {ids} and score > {min}");
    Map<String, TemplateValue> values = sent.getExprTemplateValuesMap();
    assertThat(values.get("tag").getStringVal()).isEqualTo(userInput);
    assertThat(values.get("ids").getArrayVal().getLongData().getDataList()).containsExactly(1L, 2L, 3L);
    assertThat(values.get("min").getFloatVal()).isEqualTo(0.5);
    assertThat(values.get("flag").getBoolVal()).isTrue();
    assertThat(values.get("tags").getArrayVal().getStringData().getDataList()).containsExactly("a", "b");
  }

  @Test
  void queryAndIntegerTypesSendInt64() {
    client.query(Query.builder("docs").filter("id == {id}").filterParam("id", 7).outputFields("id").build()).block(WAIT);
    QueryRequest sent = queries.get(0);
    assertThat(sent.getExpr()).isEqualTo("id == {id}");
    assertThat(sent.getExprTemplateValuesMap().get("id").getInt64Val()).isEqualTo(7L);
  }

  @Test
  void aValueOfAnotherTypeFailsBeforeTheCall() {
    assertThatThrownBy(() -> Search.builder("docs").vector(new float[] {1, 0}).filterParam("x", new Object()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x");
  }

  @Test
  void groupByAndRangeParametersGoWhereTheServerReadsThem() {
    client.search(Search.builder("docs").vector(new float[] {1, 0}).groupBy("tag").groupSize(2).strictGroupSize(true)
        .radius(0.2).rangeFilter(0.9).param("nprobe", 8).build()).block(WAIT);
    Map<String, String> params = new java.util.HashMap<>();
    for (KeyValuePair kv : searches.get(0).getSearchParamsList()) {
      params.put(kv.getKey(), kv.getValue());
    }
    assertThat(params).containsEntry("group_by_field", "tag").containsEntry("group_size", "2")
        .containsEntry("strict_group_size", "true");
    assertThat(params.get("params")).contains("\"radius\"", "\"range_filter\"", "\"nprobe\"")
        .doesNotContain("group_by_field");
  }

  /** Recorded Search and Query, on the collection of {@link FakeCollectionServer} with a VarChar {@code tag}. */
  private final class Fake extends FakeCollectionServer {
    @Override
    void moreFields(CollectionSchema.Builder schema) {
      schema.addFields(FieldSchema.newBuilder().setFieldID(102).setName("tag").setDataType(DataType.VarChar)
          .addTypeParams(KeyValuePair.newBuilder().setKey("max_length").setValue("16")));
    }

    @Override
    public void search(SearchRequest request, StreamObserver<SearchResults> response) {
      searches.add(request);
      response.onNext(SearchResults.newBuilder().setStatus(Status.getDefaultInstance()).setResults(SearchResultData.newBuilder()
          .setNumQueries(1).setTopK(1).addTopks(1).addScores(0.5f)
          .setIds(IDs.newBuilder().setIntId(LongArray.newBuilder().addData(1L)))).build());
      response.onCompleted();
    }

    @Override
    public void query(QueryRequest request, StreamObserver<QueryResults> response) {
      queries.add(request);
      response.onNext(QueryResults.newBuilder().setStatus(Status.getDefaultInstance())
          .addFieldsData(FieldData.newBuilder().setFieldName("id").setType(DataType.Int64).setScalars(
              ScalarField.newBuilder().setLongData(LongArray.newBuilder().addData(7L)))).build());
      response.onCompleted();
    }
  }
}
