package io.github.reactivemilvus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The leak check of the test JVMs: this JVM runs Netty's leak detector at PARANOID through
 * {@link RecordingLeakDetector}, and the check fails on a leaked buffer. The leak happens in a child
 * JVM set up as surefire sets up this one (the same classpath and leak properties), so that the leak
 * fails the child and not this test run; the child releasing its buffer passes.
 */
class NettyLeakCheckTest {

  @Test
  void theTestJvmTracksEveryBufferWithTheRecordingDetector() {
    assertThat(System.getProperty("io.netty.customResourceLeakDetector")).isEqualTo(NettyLeakRecorder.DETECTOR);
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
  }

  @Test
  void aLeakedBufferFailsTheCheckWithNettysLeakReport() throws Exception {
    Child child = run(true);
    assertThat(child.exitCode()).as(child.output()).isNotZero();
    assertThat(child.output()).contains("Netty buffer leak(s) reported", "LEAK: ByteBuf.release() was not called",
        Leaker.class.getName() + ".leak");
  }

  @Test
  void aReleasedBufferPassesTheCheck() throws Exception {
    Child child = run(false);
    assertThat(child.exitCode()).as(child.output()).isZero();
    assertThat(child.output()).doesNotContain("LEAK");
  }

  private record Child(int exitCode, String output) {}

  private static Child run(boolean leak) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dio.netty.leakDetection.level=PARANOID", "-Dio.netty.customResourceLeakDetector=" + NettyLeakRecorder.DETECTOR,
        Leaker.class.getName(), String.valueOf(leak)))
        .redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the child JVM did not end");
    }
    return new Child(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** The child: allocates a buffer, releases it or not, then runs the check the extension runs. */
  public static final class Leaker {
    private Leaker() {}

    /** {@code args[0]}: whether to leak. */
    public static void main(String[] args) {
      if (Boolean.parseBoolean(args[0])) {
        leak();
      } else {
        ByteBuf kept = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        kept.writeInt(42);
        kept.release();
      }
      NettyLeakRecorder.collectAndCheck(); // throws AssertionError: the JVM exits with 1
    }

    private static void leak() {
      ByteBuf lost = PooledByteBufAllocator.DEFAULT.directBuffer(16);
      lost.writeInt(42); // recorded at PARANOID: the report shows this method
    }
  }
}
