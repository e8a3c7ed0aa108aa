package io.github.reactivemilvus;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the observation of a Milvus call; hand one to
 * {@link ReactiveConnections.Builder#observationConvention} to change them (extend
 * {@link DefaultMilvusObservationConvention} to add to the defaults).
 */
public interface MilvusObservationConvention extends ObservationConvention<MilvusObservationContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof MilvusObservationContext;
  }
}
