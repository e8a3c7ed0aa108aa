package io.github.reactivemilvus.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Netty's leak detector, recording every leak it reports so that {@link NettyLeakRecorder} can
 * fail the test run on it. The test JVMs name it in {@code -Dio.netty.customResourceLeakDetector}
 * (Netty then builds every leak detector from this class) and set
 * {@code -Dio.netty.leakDetection.level=PARANOID} (every buffer tracked, with its access records).
 * A leak is still logged as Netty logs it ({@code LEAK: ...} at ERROR), and also recorded, whether
 * or not the log level would print it.
 *
 * @param <T> the tracked resource type
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

  /** What Netty's factory calls. */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  /** What Netty's factory calls for the older signature. */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  /** The leaks reported since the last call, which forgets them. */
  public static List<String> drain() {
    List<String> found = new ArrayList<>();
    for (String leak; (leak = LEAKS.poll()) != null; ) {
      found.add(leak);
    }
    return found;
  }

  @Override
  protected boolean needReport() {
    return true; // always look, whatever the logger's level
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected (no records)");
    super.reportUntracedLeak(resourceType);
  }
}
