package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.test.server.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FaultServer} in a child JVM, so that the test JVM loads nothing of gRPC's server (nor
 * warms gRPC's registries, Netty or TLS) before the code under test does. The child prints its
 * port, serves until its stdin closes, then stops. {@link #close()} ends it and waits for it.
 *
 * <p>Threading: starting and closing block; call them from test threads.
 */
public final class FaultServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final boolean tls;

  private FaultServerProcess(Process process, int port, boolean tls) {
    this.process = process;
    this.port = port;
    this.tls = tls;
  }

  /** A plaintext server without authentication. */
  public static FaultServerProcess plaintext() {
    return start(List.of("plain"), false);
  }

  /** A TLS server with the certificate of {@code certs}. */
  public static FaultServerProcess tls(TestCertificates certs) {
    return start(List.of("tls", certs.serverCert().toString(), certs.serverKey().toString()), true);
  }

  /** A TLS server that requires client certificates signed by the CA of {@code certs}. */
  public static FaultServerProcess mutualTls(TestCertificates certs) {
    return start(List.of("mutual", certs.serverCert().toString(), certs.serverKey().toString(),
        certs.caCert().toString()), true);
  }

  private static FaultServerProcess start(List<String> args, boolean tls) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(args);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fault server process", e);
    }
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("PORT ")) {
        throw new IllegalStateException("the fault server process did not start: " + line);
      }
      return new FaultServerProcess(process, Integer.parseInt(line.substring(5).strip()), tls);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the fault server process did not start", e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:P}, or {@code https://} with TLS. */
  public String uri() {
    return (tls ? "https://" : "http://") + FreePorts.LOOPBACK + ":" + port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The child: {@code plain}, {@code tls CERT KEY} or {@code mutual CERT KEY CA}. */
  public static final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
      FaultServer.Builder builder = FaultServer.builder();
      if (!args[0].equals("plain")) {
        builder.tls(Path.of(args[1]), Path.of(args[2]));
      }
      if (args[0].equals("mutual")) {
        builder.clientCa(Path.of(args[3]));
      }
      try (FaultServer server = builder.start()) {
        System.out.println("PORT " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
          // serve until the parent closes stdin (or dies)
        }
      }
    }
  }
}
