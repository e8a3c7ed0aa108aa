package io.github.reactivemilvus.client;

/** How far the server got building an index. */
public enum IndexState {
  /** No state reported. */
  NONE,
  /** Not started. */
  UNISSUED,
  /** Being built. */
  IN_PROGRESS,
  /** Built: searches use it. */
  FINISHED,
  /** The build failed ({@link IndexDescription#failReason()} says why). */
  FAILED,
  /** The build is retried. */
  RETRY
}
