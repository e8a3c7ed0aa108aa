package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Each rejected value gets the hint for what it most likely is: a doubled port is not an IPv6
 * address, a bare port in {@code address} is not a host, and a fractional port is not out of range.
 */
class MisleadingHintsTest {

  private static String message(Object... keysAndValues) {
    ConnectionConfigException e = rejected(keysAndValues);
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0).message();
  }

  @Test
  void aDoubledPortInAUriIsToldAsAPortGivenTwiceNotAsAnIpv6Host() {
    assertThat(message("uri", "http://127.0.0.1:19530:19530"))
        .contains("port is given 2 times", "'127.0.0.1:19530'")
        .doesNotContain("IPv6");
  }

  @Test
  void aDoubledPortInAnAddressIsToldAsAPortGivenTwice() {
    assertThat(message("address", "localhost:19530:19530"))
        .contains("port is given 2 times", "'localhost:19530'")
        .doesNotContain("IPv6");
  }

  @Test
  void anIpv6HostWithoutBracketsIsStillToldToUseBrackets() {
    assertThat(message("uri", "http://::1:19530")).contains("IPv6 host in brackets", "[::1]");
    assertThat(message("address", "fe80::1:19530")).contains("IPv6 host in brackets");
  }

  @Test
  void aBarePortInAddressIsToldAsAPortWithoutAHost() {
    assertThat(message("address", "19530"))
        .contains("a port without a host", "'localhost:19530'", "'port' key")
        .doesNotContain("19530:19530");
  }

  @Test
  void aHostWithoutPortInAddressStillGetsTheDefaultPortAsExample() {
    assertThat(message("address", "milvus.local")).contains("has no port", "'milvus.local:19530'");
  }

  @Test
  void aFractionalPortIsToldAsNotAWholeNumberNotAsOutOfRange() {
    assertThat(message("port", 0.3)).contains("0.3", "not a whole number").doesNotContain("out of range");
    assertThat(message("port", 19530.5)).contains("not a whole number").doesNotContain("out of range");
    assertThat(message("port", "19530.5")).contains("must be an integer").doesNotContain("out of range");
  }

  @Test
  void aWholePortOutsideTheRangeIsStillOutOfRange() {
    assertThat(message("port", 0)).contains("out of range");
    assertThat(message("port", 70000.0)).contains("out of range");
  }
}
