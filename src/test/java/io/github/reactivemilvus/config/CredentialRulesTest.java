package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.everythingShown;
import static io.github.reactivemilvus.config.TestConfigs.fields;
import static io.github.reactivemilvus.config.TestConfigs.rejected;
import static io.github.reactivemilvus.config.TestConfigs.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §3.4-3.5: credentials, explicit keys over URI values, and the database. */
class CredentialRulesTest {
  private static String header(ConnectionConfig c) {
    return new String(Base64.getDecoder().decode(c.authorizationHeader()), StandardCharsets.UTF_8);
  }

  @Test
  void userAndPasswordAreSentAsBase64UserColonPassword() {
    ConnectionConfig c = resolve("user", "root", "password", "Milvus");
    assertThat(c.auth()).isEqualTo(AuthMode.USER_PASSWORD);
    assertThat(c.user()).isEqualTo("root");
    assertThat(header(c)).isEqualTo("root:Milvus");
  }

  @Test
  void aTokenIsSentAsBase64OfItself() {
    ConnectionConfig c = resolve("token", "root:Milvus");
    assertThat(c.auth()).isEqualTo(AuthMode.TOKEN);
    assertThat(c.user()).isNull();
    assertThat(header(c)).isEqualTo("root:Milvus");
  }

  @Test
  void aUserWithATokenIsAllowedAndReported() {
    ConnectionConfig c = resolve("user", "alice", "token", "api-key");
    assertThat(c.auth()).isEqualTo(AuthMode.TOKEN);
    assertThat(c.user()).isEqualTo("alice");
    assertThat(header(c)).isEqualTo("api-key");
  }

  @Test
  void noCredentialsMeansNoHeader() {
    assertThat(resolve().authorizationHeader()).isNull();
  }

  @Test
  void tokenWithPasswordIsAProblem() {
    assertThat(fields(rejected("token", "t", "password", "p", "user", "u"))).containsExactly("token");
  }

  @Test
  void tokenWithAPasswordFromTheUriIsAProblemThatSaysWhereThePasswordCameFrom() {
    ConnectionConfigException e = rejected("uri", "http://u:p@h:1", "token", "t");
    assertThat(e.getMessage()).contains("user info");
  }

  @Test
  void aUserWithoutPasswordOrTokenIsAPasswordProblem() {
    assertThat(fields(rejected("user", "root"))).containsExactly("password");
  }

  @Test
  void aPasswordWithoutUserIsAUserProblem() {
    assertThat(fields(rejected("password", "p"))).containsExactly("user");
    assertThat(fields(rejected("uri", "http://:p@h:1"))).containsExactly("user");
  }

  @Test
  void explicitKeysWinOverTheUriKeyByKey() {
    ConnectionConfig c = resolve("uri", "http://alice:secret@h:1/uridb", "user", "bob", "password", "pw",
        "db_name", "explicit");
    assertThat(c.user()).isEqualTo("bob");
    assertThat(header(c)).isEqualTo("bob:pw");
    assertThat(c.dbName()).isEqualTo("explicit");

    ConnectionConfig onlyUser = resolve("uri", "http://alice:secret@h:1", "user", "bob");
    assertThat(header(onlyUser)).isEqualTo("bob:secret");
  }

  @Test
  void aUserNameWithAColonCannotBeSentWithAPassword() {
    assertThat(fields(rejected("user", "a:b", "password", "p"))).containsExactly("user");
    assertThat(resolve("user", "a:b", "token", "t").user()).isEqualTo("a:b");
  }

  @Test
  void blankTokensAndUsersAreProblems() {
    assertThat(fields(rejected("token", "   "))).containsExactly("token");
    assertThat(fields(rejected("user", "  ", "password", "p"))).containsExactly("user");
  }

  @Test
  void secretsOfTheWrongTypeAreReportedByTypeOnly() {
    ConnectionConfigException e = rejected("user", "u", "password", 123456789, "token", 987654321L);
    assertThat(fields(e)).contains("password", "token");
    assertThat(everythingShown(e)).doesNotContain("123456789").doesNotContain("987654321");
  }

  @Test
  void anInvalidUserDoesNotAlsoReportAMissingUser() {
    assertThat(fields(rejected("user", 5, "password", "p"))).containsExactly("user");
  }

  @Test
  void dbNameIsTrimmedAndOverridesThePath() {
    assertThat(resolve("db_name", "  analytics ").dbName()).isEqualTo("analytics");
    assertThat(resolve("uri", "http://h:1/a", "db_name", "b").dbName()).isEqualTo("b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"my db", "d\u00e9j\u00e0", "a\u0000", "   "})
  void dbNamesThatCannotTravelAsAHeaderAreRejected(String db) {
    assertThat(fields(rejected("db_name", db))).containsExactly("db_name");
  }

  @Test
  void aTooLongDbNameIsRejected() {
    assertThat(fields(rejected("db_name", "d".repeat(256)))).containsExactly("db_name");
  }
}
