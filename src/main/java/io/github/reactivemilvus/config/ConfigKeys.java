package io.github.reactivemilvus.config;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The accepted map key names (from the {@link Setting} catalogue) and typo suggestions. */
final class ConfigKeys {
  /** Every accepted key, in documentation order. */
  static final List<String> ALL = Setting.all().stream().map(Setting::key).toList();

  private ConfigKeys() {}

  /** The message for an unknown key: a close accepted key if there is one, then all of them. */
  static String unknownKeyMessage(String key) {
    String hint = suggestion(key);
    return "unknown key " + Display.quote(key) + (hint != null ? " (did you mean '" + hint + "'?)" : "")
        + "; accepted keys: " + String.join(", ", ALL);
  }

  private static @Nullable String suggestion(String key) {
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
