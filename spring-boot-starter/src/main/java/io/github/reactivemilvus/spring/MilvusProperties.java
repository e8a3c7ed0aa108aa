package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.ReactiveConnections;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code milvus.registry.*} and {@code milvus.health.*} properties. The aliases under
 * {@code milvus.connections.<alias>.*} are read separately, key by key, so that the library can
 * check every key and report unknown ones.
 */
@ConfigurationProperties("milvus")
public class MilvusProperties {
  private final Registry registry = new Registry();
  private final Health health = new Health();
  private final Observations observations = new Observations();

  /** The {@code milvus.observations.*} properties; never null. */
  public Observations getObservations() {
    return observations;
  }

  /** Observations (spans and the {@code db.client.operation.duration} timer) of the Milvus calls. */
  public static class Observations {
    /**
     * Whether every Milvus call is observed with the application's ObservationRegistry (when there is
     * one): a CLIENT span per call under the request's span, traceparent sent to Milvus.
     */
    private boolean enabled = true;

    /** Whether the Milvus calls are observed. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Turns the observations of the Milvus calls on or off. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** The {@code milvus.registry.*} properties; never null. */
  public Registry getRegistry() {
    return registry;
  }

  /** The {@code milvus.health.*} properties; never null. */
  public Health getHealth() {
    return health;
  }

  /** The connection registry. */
  public static class Registry {
    /**
     * How long calls in flight may finish when the application shuts down (or an alias is
     * disconnected) before they are cancelled.
     */
    private Duration gracePeriod = ReactiveConnections.DEFAULT_GRACE_PERIOD;

    /**
     * Whether Milvus channels run on the event loops of Spring's ReactorResourceFactory (the ones
     * WebFlux and WebClient use) when there is one; otherwise the registry starts its own.
     */
    private boolean shareEventLoops = true;

    /** Whether every alias connects while the application starts; a failed connect fails the startup. */
    private boolean connectOnStartup = false;

    /**
     * {@code milvus.registry.grace-period}: how long calls in flight may finish on shutdown (and disconnect)
     * before they are cancelled; default 5 s.
     */
    public Duration getGracePeriod() {
      return gracePeriod;
    }

    /** Sets {@code milvus.registry.grace-period}; keep it below {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    public void setGracePeriod(Duration gracePeriod) {
      this.gracePeriod = gracePeriod;
    }

    /**
     * {@code milvus.registry.share-event-loops}: whether Milvus channels run on the event loops of Spring's
     * {@code ReactorResourceFactory} when there is one; default true.
     */
    public boolean isShareEventLoops() {
      return shareEventLoops;
    }

    /** Sets {@code milvus.registry.share-event-loops}; false makes the registry start its own event loops. */
    public void setShareEventLoops(boolean shareEventLoops) {
      this.shareEventLoops = shareEventLoops;
    }

    /**
     * {@code milvus.registry.connect-on-startup}: whether every alias connects while the application starts,
     * a failed connect failing the startup; default false.
     */
    public boolean isConnectOnStartup() {
      return connectOnStartup;
    }

    /** Sets {@code milvus.registry.connect-on-startup}. */
    public void setConnectOnStartup(boolean connectOnStartup) {
      this.connectOnStartup = connectOnStartup;
    }
  }

  /** The {@code milvus} health indicator. */
  public static class Health {
    /** Upper bound on one alias's check (connect, GetVersion and CheckHealth); aliases are checked concurrently. */
    private Duration timeout = Duration.ofSeconds(2);

    /**
     * {@code milvus.health.timeout}: the bound on one alias's health check (connect, GetVersion and
     * CheckHealth), aliases checked concurrently; default 2 s.
     */
    public Duration getTimeout() {
      return timeout;
    }

    /** Sets {@code milvus.health.timeout}. */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }
}
