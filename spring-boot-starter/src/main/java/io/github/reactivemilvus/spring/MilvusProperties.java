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

  public Registry getRegistry() {
    return registry;
  }

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

    public Duration getGracePeriod() {
      return gracePeriod;
    }

    public void setGracePeriod(Duration gracePeriod) {
      this.gracePeriod = gracePeriod;
    }

    public boolean isShareEventLoops() {
      return shareEventLoops;
    }

    public void setShareEventLoops(boolean shareEventLoops) {
      this.shareEventLoops = shareEventLoops;
    }

    public boolean isConnectOnStartup() {
      return connectOnStartup;
    }

    public void setConnectOnStartup(boolean connectOnStartup) {
      this.connectOnStartup = connectOnStartup;
    }
  }

  /** The {@code milvus} health indicator. */
  public static class Health {
    /** Upper bound on one alias's check (connect, GetVersion and CheckHealth); aliases are checked concurrently. */
    private Duration timeout = Duration.ofSeconds(2);

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }
}
