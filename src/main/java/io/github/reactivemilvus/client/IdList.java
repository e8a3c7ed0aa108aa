package io.github.reactivemilvus.client;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The primary keys of a server answer as an unmodifiable list over the parsed message's own
 * column (a parsed message never changes): a key is boxed only when read, instead of every key
 * being boxed and copied twice for each batch. {@link WriteResult} keeps it as it is.
 */
final class IdList extends AbstractList<Object> implements RandomAccess {
  private final List<?> ids;

  /** {@code ids}: a column of a parsed protobuf message (unmodifiable, no nulls). */
  IdList(List<?> ids) {
    this.ids = ids;
  }

  @Override
  public Object get(int index) {
    return ids.get(index);
  }

  @Override
  public int size() {
    return ids.size();
  }
}
