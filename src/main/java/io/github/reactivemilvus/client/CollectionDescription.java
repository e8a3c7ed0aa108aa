package io.github.reactivemilvus.client;

import java.util.List;
import java.util.Map;

/** What the server says about a collection. {@code consistencyLevel} is e.g. {@code Bounded}. */
public record CollectionDescription(String name, long id, String dbName, Schema schema, int shards,
    List<String> aliases, String consistencyLevel, Map<String, String> properties) {
  /**
   * Copies {@code aliases} and {@code properties} into immutable collections; null ones throw
   * {@link NullPointerException}.
   */
  public CollectionDescription {
    aliases = List.copyOf(aliases);
    properties = Map.copyOf(properties);
  }
}
