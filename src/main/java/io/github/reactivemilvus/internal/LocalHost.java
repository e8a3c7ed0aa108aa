package io.github.reactivemilvus.internal;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The local host name reported in ClientInfo; looked up once, off non-blocking threads (DNS). */
@Internal
public final class LocalHost {
  private static volatile @Nullable String name;

  private LocalHost() {}

  /**
   * The local host name, looked up on the bounded-elastic scheduler until it is cached; {@code HOSTNAME}
   * or {@code unknown} when the lookup fails. Never errors.
   */
  public static Mono<String> name() {
    String cached = name;
    if (cached != null) {
      return Mono.just(cached);
    }
    return Mono.fromCallable(LocalHost::lookup).subscribeOn(Schedulers.boundedElastic());
  }

  private static String lookup() {
    String found;
    try {
      found = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      String env = System.getenv("HOSTNAME");
      found = env != null ? env : "unknown";
    }
    name = found;
    return found;
  }
}
