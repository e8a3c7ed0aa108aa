package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.Setting.DB_NAME;
import static io.github.reactivemilvus.config.Setting.PASSWORD;
import static io.github.reactivemilvus.config.Setting.TOKEN;
import static io.github.reactivemilvus.config.Setting.URI;
import static io.github.reactivemilvus.config.Setting.USER;

import org.jspecify.annotations.Nullable;

/**
 * SPEC §3.4-3.5: credentials and database. Explicit {@code user}, {@code password},
 * {@code token} and {@code db_name} win, key by key, over the URI's user info and path. Messages
 * never carry a password or token, only the key names.
 */
final class CredentialRules {
  private static final int MAX_DB_NAME_LENGTH = 255;

  private CredentialRules() {}

  static void apply(ConfigInput in, ConnectionConfig.Resolved r, UriParser.@Nullable ParsedUri uri) {
    String user = in.get(USER, CredentialRules::nonBlank);
    String password = in.get(PASSWORD);
    String token = in.get(TOKEN, CredentialRules::nonBlank);
    boolean passwordFromUri = false;
    if (uri != null) {
      if (!in.given(USER) && uri.user() != null) {
        user = uri.user();
      }
      if (!in.given(PASSWORD) && uri.password() != null) {
        password = uri.password();
        passwordFromUri = true;
      }
    }
    // A key that was given but invalid already has its problem; do not pile follow-ups on it.
    boolean userKnown = user != null || in.given(USER);
    boolean passwordKnown = password != null || in.given(PASSWORD);
    boolean tokenKnown = token != null || in.given(TOKEN);

    if (token != null && password != null) {
      in.problem(TOKEN, "is given together with a password" + (passwordFromUri ? " (from the uri's user info)" : "")
          + "; use token, or user and password, not both");
    } else if (userKnown && !passwordKnown && !tokenKnown) {
      // a user with ':' is likely a pasted user:password token: not shown
      in.problem(PASSWORD, "is missing: " + (user != null && user.indexOf(':') >= 0
          ? "the user (which contains ':'; a 'user:password' pair goes in 'token') needs a password"
          : "user " + Display.quote(user == null ? "" : user) + " needs a password") + " (or use token)");
    } else if (passwordKnown && !userKnown && !tokenKnown) {
      in.problem(USER, "is missing: a password" + (passwordFromUri ? " (from the uri's user info)" : "")
          + " needs a user (or use token)");
    }
    if (user != null && password != null && token == null && user.indexOf(':') >= 0) {
      in.problem(USER, "must not contain ':' when sent with a password (the server splits user:password at the first ':')");
    }
    r.set(USER, user);
    r.set(PASSWORD, password);
    r.set(TOKEN, token);

    String db = in.get(DB_NAME, v -> checkDbName(v.strip(), "is"));
    if (db == null && !in.given(DB_NAME) && uri != null && uri.dbName() != null) {
      try {
        db = checkDbName(uri.dbName(), "the database in the path is");
      } catch (InvalidValue e) {
        in.problem(URI, e.getMessage());
      }
    }
    r.set(DB_NAME, db);
  }

  private static String nonBlank(String s) throws InvalidValue {
    if (s.isBlank()) {
      throw new InvalidValue("is blank");
    }
    return s;
  }

  /** Database names travel as a gRPC ASCII header, so they must be printable ASCII without spaces. */
  static String checkDbName(String name, String subject) throws InvalidValue {
    if (name.isEmpty()) {
      throw new InvalidValue(subject + " blank");
    }
    if (name.length() > MAX_DB_NAME_LENGTH) {
      throw new InvalidValue(subject + " longer than " + MAX_DB_NAME_LENGTH + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new InvalidValue(subject + " " + Display.quote(name)
            + ", which is not printable ASCII without spaces (database names are letters, digits and '_')");
      }
    }
    return name;
  }
}
