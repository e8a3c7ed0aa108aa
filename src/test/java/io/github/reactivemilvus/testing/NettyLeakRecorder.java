package io.github.reactivemilvus.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes every Netty leak report fail the build: registered for every test class by auto-detection
 * (as {@link BlockingCallRecorder} is), it fails a test after which {@link RecordingLeakDetector}
 * has recorded a leak, and after each class it collects garbage and allocates one buffer, since
 * Netty only reports the leaks it finds at a later allocation: a leak of the class's last test would
 * otherwise go unseen. The leak may come from an earlier test of the JVM (it is found when its buffer
 * is collected); its access records say where it was allocated and last touched.
 */
public final class NettyLeakRecorder implements AfterEachCallback, AfterAllCallback {
  /** The class name the test JVMs give to {@code io.netty.customResourceLeakDetector}. */
  public static final String DETECTOR = RecordingLeakDetector.class.getName();

  @Override
  public void afterEach(ExtensionContext context) {
    check();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    collectAndCheck();
  }

  /** Throws {@link AssertionError} listing the leaks reported since the last check, if any. */
  public static void check() {
    List<String> leaks = RecordingLeakDetector.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported:\n" + String.join("\n\n", leaks));
    }
  }

  /**
   * Collects garbage, lets the leak detector look at what was collected (it looks on the next
   * tracked allocation), then {@link #check()}s. Does nothing when leak detection is off.
   */
  public static void collectAndCheck() {
    if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.DISABLED) {
      for (int i = 0; i < 2; i++) {
        System.gc();
        pause(); // collected references reach the detector's queue on the JVM's reference handler thread
        ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(1);
        probe.release();
      }
    }
    check();
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
