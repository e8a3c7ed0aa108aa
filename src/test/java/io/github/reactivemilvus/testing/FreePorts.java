package io.github.reactivemilvus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Loopback port helpers for tests.
 *
 * <p>{@link #freePort()} asks the OS for an ephemeral port on 127.0.0.1 and releases it, so a
 * server started right after can bind it (there is an unavoidable small race with other
 * processes). {@link #closedPort()} returns a port on which nothing listens, for "connection
 * refused" tests. Stateless and thread-safe; the calls block briefly (socket bind/close).
 */
public final class FreePorts {

    /** Loopback host used by every test server. */
    public static final String LOOPBACK = "127.0.0.1";

    private FreePorts() {
    }

    /** A port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 1);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate a free loopback port", e);
        }
    }

    /**
     * A port on 127.0.0.1 with nothing listening: a connect attempt is refused. Checked by a
     * connect attempt after the port was released.
     */
    public static int closedPort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = freePort();
            if (!isListening(port)) {
                return port;
            }
        }
        throw new IllegalStateException("could not find a closed loopback port");
    }

    /** True if a TCP connect to 127.0.0.1:port succeeds within 500 ms. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
