package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.fields;
import static io.github.reactivemilvus.config.TestConfigs.rejected;
import static io.github.reactivemilvus.config.TestConfigs.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An alias may name several endpoints (the proxies of one cluster) in {@code address} or {@code uri}. */
class SeveralEndpointsTest {
  @Test
  void anAddressListKeepsEveryEndpointInOrder() {
    ConnectionConfig c = resolve("address", " proxy-a:19530,proxy-b:19531 ,[::1]:19532");
    assertThat(c.addresses()).containsExactly("proxy-a:19530", "proxy-b:19531", "[::1]:19532");
    assertThat(c.address()).isEqualTo("proxy-a:19530,proxy-b:19531,[::1]:19532");
    assertThat(c.host()).isEqualTo("proxy-a");
    assertThat(c.port()).isEqualTo(19530);
    assertThat(c.endpoints()).extracting(InetSocketAddress::getHostString, InetSocketAddress::getPort)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("proxy-a", 19530),
            org.assertj.core.groups.Tuple.tuple("proxy-b", 19531), org.assertj.core.groups.Tuple.tuple("::1", 19532));
    assertThat(c.endpoints()).allMatch(InetSocketAddress::isUnresolved);
  }

  @Test
  void aUriListTakesTheSchemesDefaultPortForEachHostAndTheDatabaseFromThePath() {
    ConnectionConfig c = resolve("uri", "https://root:secret@a.example.com,b.example.com:8443/analytics");
    assertThat(c.addresses()).containsExactly("a.example.com:443", "b.example.com:8443");
    assertThat(c.secure()).isTrue();
    assertThat(c.user()).isEqualTo("root");
    assertThat(c.dbName()).isEqualTo("analytics");
  }

  @Test
  void theNormalizedViewListsEveryEndpoint() {
    ConnectionInfo info = resolve("address", "a:1,b:2").info("x", Duration.ofSeconds(10));
    assertThat(info.address()).isEqualTo("a:1,b:2");
    assertThat(info.addresses()).containsExactly("a:1", "b:2");
    assertThat(info.asMap()).containsEntry("addresses", java.util.List.of("a:1", "b:2"));
  }

  @Test
  void oneEndpointIsListedAlone() {
    assertThat(resolve("uri", "http://h:1").info("x", Duration.ofSeconds(1)).addresses()).containsExactly("h:1");
    assertThat(resolve("uri", "unix:/tmp/milvus.sock").addresses()).containsExactly("unix:/tmp/milvus.sock");
    assertThat(resolve("uri", "unix:/tmp/milvus.sock").endpoints()).isEmpty();
  }

  @Test
  void anEmptyEntryIsAnError() {
    ConnectionConfigException e = rejected("address", "a:1,,b:2");
    assertThat(fields(e)).containsExactly("address");
    assertThat(e.problems().get(0).message()).contains("empty entry");
  }

  @Test
  void anEndpointListedTwiceIsAnError() {
    ConnectionConfigException e = rejected("address", "a:1,b:2,A:1");
    assertThat(fields(e)).containsExactly("address");
    assertThat(e.problems().get(0).message()).contains("lists a:1 twice");
  }

  @Test
  void hostOrPortBesideAListIsAnError() {
    ConnectionConfigException e = rejected("address", "a:1,b:2", "host", "a", "port", 1);
    assertThat(fields(e)).containsExactlyInAnyOrder("host", "port");
    assertThat(e.problems().get(0).message()).contains("2 endpoints of 'address'");
  }

  @Test
  void anAddressListAndAUriListMustAgree() {
    assertThat(resolve("address", "a:1,b:2", "uri", "http://a:1,b:2").addresses()).containsExactly("a:1", "b:2");
    ConnectionConfigException e = rejected("address", "a:1,b:2", "uri", "http://a:1,c:2");
    assertThat(fields(e)).containsExactly("uri");
  }

  @Test
  void anotherProxyListIsAnotherConfigNamedByAddress() {
    ConnectionConfig ab = resolve("address", "a:1,b:2");
    ConnectionConfig ac = resolve("address", "a:1,c:2");
    assertThat(ab).isNotEqualTo(ac);
    assertThat(ab.differingFields(ac)).containsExactly("address");
    assertThat(ab).isEqualTo(resolve("uri", "http://a:1,b:2"));
  }
}
