package io.github.reactivemilvus.client;

/** Whether a collection is in memory for searches and queries. */
public enum LoadState {
  /** The collection does not exist. */
  NOT_EXIST,
  /** The collection is not loaded (released, or never loaded). */
  NOT_LOAD,
  /** Loading is under way. */
  LOADING,
  /** The collection is loaded: searches and queries run. */
  LOADED
}
