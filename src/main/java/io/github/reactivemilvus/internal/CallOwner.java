package io.github.reactivemilvus.internal;

import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/** What a {@link LimitedCall} reports to the alias channel it was made on. */
@Internal
interface CallOwner {
  /** Registers a starting call; null when the alias is shut down and the call must not run. */
  OpenCalls.@Nullable Entry opened(LimitedCall<?, ?> call, boolean sweptDeadline);

  /** The call ended (closed, cancelled or refused); called once per opened call. */
  void closed(OpenCalls.Entry entry);

  /** A call refused by the limiter because both limits were full. */
  void rejected();

  /** Why calls are refused once the alias is shut down. */
  Status shutdownStatus();
}
