package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.NamedConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * The aliases under {@code milvus.connections.<alias>.<key>}, read from every property source of
 * the environment (highest precedence first, placeholders resolved), each key turned into the
 * library's snake-case map key ({@code db-name}, {@code dbName} and {@code db_name} all become
 * {@code db_name}). Values are handed over as text, which the library's rules read like numbers
 * and booleans; Spring's duration forms ({@code 10s}, {@code 500ms}, {@code PT1M}) become a
 * {@link Duration} and {@code DataSize} forms ({@code 256MB}) a number of bytes. Plain numbers pass
 * through unchanged, so they mean what they mean to the library (seconds for durations, bytes for
 * sizes). Nothing is validated here: the library checks every key and value.
 */
final class ConnectionProperties {
  static final String PREFIX = "milvus.connections";
  private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);
  private static final int ALIAS_INDEX = 2;

  static final Set<String> DURATION_KEYS = Set.of("timeout", "call_timeout", "keep_alive_time",
      "keep_alive_timeout", "idle_timeout", "retry_initial_backoff", "retry_max_backoff", "max_connection_age");
  static final Set<String> SIZE_KEYS = Set.of("max_inbound_message_size");
  private static final Pattern PLAIN_NUMBER = Pattern.compile("\\s*[0-9]*\\.?[0-9]+\\s*");
  private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

  /**
   * One alias as written in properties.
   *
   * @param alias the alias
   * @param values library key to value
   * @param writtenKeys library key to the key as the user wrote it (for messages)
   * @param unitKeys library keys whose value looked like a duration or size Spring could not read
   */
  record Alias(String alias, Map<String, Object> values, Map<String, String> writtenKeys, Set<String> unitKeys) {
    NamedConfig toNamedConfig() {
      return NamedConfig.of(alias, values);
    }
  }

  private ConnectionProperties() {}

  /** Every alias found, sorted by name; empty when no {@code milvus.connections.*} is set. */
  static List<Alias> read(Environment environment) {
    Map<String, Set<ConfigurationPropertyName>> namesByAlias = new TreeMap<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (source instanceof IterableConfigurationPropertySource iterable) {
        iterable.filter(ROOT::isAncestorOf).forEach(name -> {
          if (name.getNumberOfElements() > ALIAS_INDEX + 1) {
            namesByAlias.computeIfAbsent(name.getElement(ALIAS_INDEX, ConfigurationPropertyName.Form.ORIGINAL),
                a -> new TreeSet<>()).add(name);
          }
        });
      }
    }
    Binder binder = Binder.get(environment);
    List<Alias> aliases = new ArrayList<>();
    namesByAlias.forEach((alias, names) -> {
      Map<String, Object> values = new LinkedHashMap<>();
      Map<String, String> written = new LinkedHashMap<>();
      Set<String> unitKeys = new TreeSet<>();
      for (ConfigurationPropertyName name : names) {
        String writtenKey = writtenKey(name);
        String key = libraryKey(writtenKey);
        if (written.containsKey(key)) {
          continue; // the same key in a second spelling (dbName next to db-name): the first in name order counts
        }
        String value = binder.bind(name, Bindable.of(String.class)).orElse(null);
        Object converted = convert(key, value);
        if (converted == value && value != null && !value.isBlank() && !PLAIN_NUMBER.matcher(value).matches()
            && (DURATION_KEYS.contains(key) || SIZE_KEYS.contains(key))) {
          unitKeys.add(key);
        }
        written.put(key, writtenKey);
        values.put(key, converted);
      }
      aliases.add(new Alias(alias, values, written, unitKeys));
    });
    return aliases;
  }

  /**
   * The aliases with each {@link MilvusConnectionDetails}' uri, token and database in place of the
   * properties' (an alias only the details name is added); the first details bean for an alias wins.
   */
  static List<Alias> withDetails(List<Alias> aliases, List<MilvusConnectionDetails> details) {
    if (details.isEmpty()) {
      return aliases;
    }
    Map<String, Alias> byName = new TreeMap<>();
    aliases.forEach(a -> byName.put(a.alias(), a));
    Set<String> done = new TreeSet<>();
    for (MilvusConnectionDetails d : details) {
      if (!done.add(d.getAlias())) {
        continue;
      }
      Alias from = byName.get(d.getAlias());
      Map<String, Object> values = new LinkedHashMap<>(from == null ? Map.of() : from.values());
      Map<String, String> written = new LinkedHashMap<>(from == null ? Map.of() : from.writtenKeys());
      values.put("uri", d.getUri());
      written.put("uri", "uri");
      if (d.getToken() != null) {
        values.put("token", d.getToken());
        values.remove("user");
        values.remove("password");
        written.put("token", "token");
      }
      if (d.getDbName() != null) {
        values.put("db_name", d.getDbName());
        written.put("db_name", "db-name");
      }
      byName.put(d.getAlias(), new Alias(d.getAlias(), values, written, from == null ? Set.of() : from.unitKeys()));
    }
    return new ArrayList<>(byName.values());
  }

  /** The key after the alias, elements joined with {@code -} ({@code retry.max-retries} is {@code retry-max-retries}). */
  private static String writtenKey(ConfigurationPropertyName name) {
    StringBuilder key = new StringBuilder();
    for (int i = ALIAS_INDEX + 1; i < name.getNumberOfElements(); i++) {
      if (key.length() > 0) {
        key.append('-');
      }
      key.append(name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
    }
    return key.toString();
  }

  /** {@code db-name}, {@code dbName}, {@code DB_NAME} to {@code db_name}. */
  static String libraryKey(String writtenKey) {
    return CAMEL_HUMP.matcher(writtenKey).replaceAll("$1_$2").replace('-', '_').toLowerCase(Locale.ROOT);
  }

  /** The kebab-case property key for a library key ({@code db_name} to {@code db-name}). */
  static String propertyKey(String libraryKey) {
    return libraryKey.replace('_', '-');
  }

  /** Every accepted key in property spelling, in the library's documentation order. */
  static List<String> propertyKeys() {
    return ConnectionConfig.keys().stream().map(ConnectionProperties::propertyKey).toList();
  }

  /** Spring's duration and size forms to what the library reads; anything else unchanged. */
  static Object convert(String key, String value) {
    if (value == null || value.isBlank() || PLAIN_NUMBER.matcher(value).matches()) {
      return value;
    }
    try {
      if (DURATION_KEYS.contains(key)) {
        return DurationStyle.detectAndParse(value.strip());
      }
      if (SIZE_KEYS.contains(key)) {
        return DataSize.parse(value.strip()).toBytes();
      }
    } catch (IllegalArgumentException e) {
      return value; // the library reports the value
    }
    return value;
  }

}
