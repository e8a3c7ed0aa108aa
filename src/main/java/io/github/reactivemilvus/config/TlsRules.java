package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.Setting.CA_PEM_PATH;
import static io.github.reactivemilvus.config.Setting.CLIENT_KEY_PATH;
import static io.github.reactivemilvus.config.Setting.CLIENT_PEM_PATH;
import static io.github.reactivemilvus.config.Setting.SECURE;
import static io.github.reactivemilvus.config.Setting.SERVER_NAME;
import static io.github.reactivemilvus.config.Setting.SERVER_PEM_PATH;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * SPEC §3.6: whether TLS is on and how it is trusted. Certificate files are checked for existence
 * and readability only (their contents are read when connecting); this runs where the config is
 * resolved, i.e. on the thread that adds the connection.
 */
final class TlsRules {
  private static final List<Setting<Path>> MUTUAL_KEYS = List.of(CLIENT_PEM_PATH, CLIENT_KEY_PATH, CA_PEM_PATH);

  private TlsRules() {}

  static void apply(ConfigInput in, ConnectionConfig.Resolved r, boolean https) {
    Boolean secure = in.get(SECURE);
    if (https && Boolean.FALSE.equals(secure)) {
      in.problem(SECURE, "is false, but the uri uses https, which always means TLS; drop secure=false or use http://");
    }
    boolean tls = secure != null ? secure : https || in.given(SECURE);

    for (Setting<Path> key : List.of(SERVER_PEM_PATH, CLIENT_PEM_PATH, CLIENT_KEY_PATH, CA_PEM_PATH)) {
      r.set(key, readableFile(in, key));
    }

    List<Setting<Path>> mutualGiven = MUTUAL_KEYS.stream().filter(in::given).toList();
    if (!tls) {
      String why = Boolean.FALSE.equals(secure) ? "but secure is false" : "but TLS is off";
      for (Setting<Path> key : List.of(SERVER_PEM_PATH, CLIENT_PEM_PATH, CLIENT_KEY_PATH, CA_PEM_PATH)) {
        if (in.given(key)) {
          in.problem(key, "is set " + why + "; set secure=true (or use an https uri) to use TLS certificates");
        }
      }
    }
    if (!mutualGiven.isEmpty() && mutualGiven.size() < MUTUAL_KEYS.size()) {
      for (Setting<Path> key : MUTUAL_KEYS) {
        if (!in.given(key)) {
          in.problem(key, "is missing: mutual TLS needs client_pem_path, client_key_path and ca_pem_path"
              + " together (given: " + String.join(", ", mutualGiven.stream().map(Setting::key).toList()) + ")");
        }
      }
    }
    if (in.given(SERVER_PEM_PATH) && mutualGiven.size() == MUTUAL_KEYS.size()) {
      in.problem(SERVER_PEM_PATH, "cannot be combined with mutual TLS, which trusts ca_pem_path;"
          + " give server_pem_path (one-way TLS) or the three mutual TLS keys");
    }

    String serverName = in.get(SERVER_NAME, v -> {
      String s = v.strip();
      if (s.isEmpty()) {
        throw new InvalidValue("is blank");
      }
      return HostSyntax.check(s);
    });
    if (in.given(SERVER_NAME) && !tls) {
      in.problem(SERVER_NAME, "only applies to TLS; set secure=true (or use an https uri)");
    }
    r.set(SERVER_NAME, serverName);
    r.set(SECURE, tls);
    r.tls = !tls ? TlsMode.NONE
        : mutualGiven.size() == MUTUAL_KEYS.size() ? TlsMode.MUTUAL
        : in.given(SERVER_PEM_PATH) ? TlsMode.CUSTOM_ROOT
        : TlsMode.SYSTEM_ROOTS;
  }

  /** The path of a key if it names an existing, readable regular file; otherwise a problem and null. */
  private static @Nullable Path readableFile(ConfigInput in, Setting<Path> key) {
    return in.get(key, p -> {
      String shown = Display.quote(p.toString());
      try {
        if (!Files.exists(p)) {
          throw new InvalidValue("the file " + shown + " does not exist");
        }
        if (!Files.isRegularFile(p)) {
          throw new InvalidValue(shown + " is not a regular file");
        }
        if (!Files.isReadable(p)) {
          throw new InvalidValue("the file " + shown + " cannot be read (permissions)");
        }
      } catch (SecurityException e) {
        throw new InvalidValue("the file " + shown + " cannot be checked: access denied");
      }
      return p;
    });
  }
}
