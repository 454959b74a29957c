package com.meltano.auth.gitlab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of the GitLab stand-in, transparent (the Host header and everything else
 * pass unchanged) until a test arms it: then it breaks the signature of the next ID token in a
 * token response on its way back, keeping its length (a man in the middle, or a provider key
 * mix-up). The token's header and claims stay exactly as the provider issued them.
 */
final class TamperingProxy implements AutoCloseable {

    private static final byte[] ID_TOKEN = "\"id_token\"".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicBoolean tampered = new AtomicBoolean();

    TamperingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "tampering-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Breaks the signature of the next ID token passing through. */
    void breakNextIdTokenSignature() {
        tampered.set(false);
        armed.set(true);
    }

    /** Whether an armed proxy did break a signature (so that a test cannot pass without it). */
    boolean tampered() {
        return tampered.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                pump(client.getInputStream(), server.getOutputStream(), false, client, server);
                pump(server.getInputStream(), client.getOutputStream(), true, client, server);
            } catch (IOException e) {
                // closed, or the stand-in is gone: nothing to proxy
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean towardsClient, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (towardsClient && armed.get()) {
                        tamper(buffer, n);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // a side closed
            } finally {
                closeQuietly(a);
                closeQuietly(b);
            }
        }, "tampering-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Flips one character in the signature part of an {@code "id_token": "h.p.s"} found in this chunk. */
    private void tamper(byte[] buf, int n) {
        int start = indexOf(buf, n, ID_TOKEN);
        if (start < 0) {
            return;
        }
        int i = start + ID_TOKEN.length;
        while (i < n && (buf[i] == ' ' || buf[i] == ':' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')) {
            i++;
        }
        if (i >= n || buf[i] != '"') {
            return;
        }
        int dots = 0;
        for (i = i + 1; i < n && buf[i] != '"'; i++) {
            if (buf[i] == '.' && ++dots == 2 && i + 2 < n) {
                buf[i + 2] = (byte) (buf[i + 2] == 'A' ? 'B' : 'A');
                armed.set(false);
                tampered.set(true);
                return;
            }
        }
    }

    private static int indexOf(byte[] buf, int n, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= n; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buf[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
