package io.github.reactivemilvus.client;

import java.util.List;
import java.util.Map;

/** What the server says about a collection: names, id, schema, shards, aliases, consistency, properties. */
public record CollectionDescription(String name, long id, String dbName, Schema schema, int shards,
    List<String> aliases, ConsistencyLevel consistencyLevel, Map<String, String> properties) {
  /**
   * Copies {@code aliases} and {@code properties} into immutable collections; null ones throw
   * {@link NullPointerException}.
   */
  public CollectionDescription {
    aliases = List.copyOf(aliases);
    properties = Map.copyOf(properties);
  }
}
