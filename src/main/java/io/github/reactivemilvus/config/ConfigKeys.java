package io.github.reactivemilvus.config;

import java.util.List;
import java.util.Locale;

/** The accepted map keys (pymilvus names, then the Java-only ones) and typo suggestions. */
final class ConfigKeys {
  static final String URI = "uri";
  static final String ADDRESS = "address";
  static final String HOST = "host";
  static final String PORT = "port";
  static final String USER = "user";
  static final String PASSWORD = "password";
  static final String TOKEN = "token";
  static final String DB_NAME = "db_name";
  static final String SECURE = "secure";
  static final String SERVER_PEM_PATH = "server_pem_path";
  static final String CLIENT_PEM_PATH = "client_pem_path";
  static final String CLIENT_KEY_PATH = "client_key_path";
  static final String CA_PEM_PATH = "ca_pem_path";
  static final String SERVER_NAME = "server_name";
  static final String TIMEOUT = "timeout";
  static final String KEEP_ALIVE = "keep_alive";
  static final String POOL_SIZE = "pool_size";
  static final String MAX_CONCURRENT_CALLS = "max_concurrent_calls";
  static final String MAX_PENDING_CALLS = "max_pending_calls";
  static final String CALL_TIMEOUT = "call_timeout";
  static final String RETRY_POLICY = "retry_policy";
  static final String RETRY_MAX_RETRIES = "retry_max_retries";
  static final String RETRY_INITIAL_BACKOFF = "retry_initial_backoff";
  static final String RETRY_MAX_BACKOFF = "retry_max_backoff";
  static final String RETRY_MULTIPLIER = "retry_multiplier";
  static final String RETRY_JITTER = "retry_jitter";
  static final String RETRY_WRITES = "retry_writes";
  static final String KEEP_ALIVE_TIME = "keep_alive_time";
  static final String KEEP_ALIVE_TIMEOUT = "keep_alive_timeout";
  static final String MAX_INBOUND_MESSAGE_SIZE = "max_inbound_message_size";
  static final String IDLE_TIMEOUT = "idle_timeout";

  /** Every accepted key, in documentation order. */
  static final List<String> ALL = List.of(
      URI, ADDRESS, HOST, PORT, USER, PASSWORD, TOKEN, DB_NAME, SECURE, SERVER_PEM_PATH,
      CLIENT_PEM_PATH, CLIENT_KEY_PATH, CA_PEM_PATH, SERVER_NAME, TIMEOUT, KEEP_ALIVE,
      POOL_SIZE, MAX_CONCURRENT_CALLS, MAX_PENDING_CALLS, CALL_TIMEOUT, RETRY_POLICY,
      RETRY_MAX_RETRIES, RETRY_INITIAL_BACKOFF, RETRY_MAX_BACKOFF, RETRY_MULTIPLIER, RETRY_JITTER,
      RETRY_WRITES, KEEP_ALIVE_TIME, KEEP_ALIVE_TIMEOUT, MAX_INBOUND_MESSAGE_SIZE, IDLE_TIMEOUT);

  static final List<String> RETRY_KEYS = List.of(
      RETRY_MAX_RETRIES, RETRY_INITIAL_BACKOFF, RETRY_MAX_BACKOFF, RETRY_MULTIPLIER, RETRY_JITTER, RETRY_WRITES);

  private ConfigKeys() {}

  /** The message for an unknown key: a close accepted key if there is one, then all of them. */
  static String unknownKeyMessage(String key) {
    String hint = suggestion(key);
    return "unknown key " + Display.quote(key) + (hint != null ? " (did you mean '" + hint + "'?)" : "")
        + "; accepted keys: " + String.join(", ", ALL);
  }

  private static String suggestion(String key) {
    if (key.length() > 64) {
      return null;
    }
    String k = key.toLowerCase(Locale.ROOT).replace('-', '_');
    String best = null;
    int bestDistance = 3;
    for (String candidate : ALL) {
      String c = candidate;
      int d = k.equals(c) || k.replace("_", "").equals(c.replace("_", "")) ? 0 : distance(k, c);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance, small inputs only. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
