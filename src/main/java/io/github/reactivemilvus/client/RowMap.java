package io.github.reactivemilvus.client;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One decoded row of a search result: an unmodifiable map whose keys (the result's field names, in
 * column order) are shared by every row of that result, and whose values are this row's. It costs
 * a row one small array instead of a hash map with an entry per field, and {@link Hit} keeps it as
 * it is instead of copying it. Lookups scan the keys (results have few fields). Null values are
 * those of nullable fields. Equality, hash code and string form are those of any {@link Map}.
 */
final class RowMap extends AbstractMap<String, Object> {
  private final String[] keys;
  private final @Nullable Object[] values;

  /** {@code keys} are shared and never changed; {@code values} become this map's own. */
  RowMap(String[] keys, @Nullable Object[] values) {
    if (keys.length != values.length) {
      throw new IllegalArgumentException(keys.length + " keys for " + values.length + " values");
    }
    this.keys = keys;
    this.values = values;
  }

  private int indexOf(@Nullable Object key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public @Nullable Object get(@Nullable Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean isEmpty() {
    return keys.length == 0;
  }

  // unmodifiable, as Collections.unmodifiableMap: every change fails, even one that would change nothing

  @Override
  public @Nullable Object put(String key, @Nullable Object value) {
    throw new UnsupportedOperationException();
  }

  @Override
  public @Nullable Object remove(@Nullable Object key) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void putAll(Map<? extends String, ?> m) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }

      @Override
      public int size() {
        return keys.length;
      }

      @Override
      public void clear() {
        throw new UnsupportedOperationException();
      }
    };
  }
}
