package com.meltano.auth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An SMTP server that never answers (a relay that hangs, a firewall that swallows port 25): a TCP
 * server on 127.0.0.1 that accepts and holds connections and never writes a byte.
 */
public class SilentSmtpServer implements QuarkusTestResourceLifecycleManager {
    private ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    held.add(socket.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
        return Map.of("meltano.auth.smtp-url", "smtp://127.0.0.1:" + socket.getLocalPort(), "meltano.auth.mail-from",
                "auth@meltano.test");
    }

    @Override
    public void stop() {
        try {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        } catch (IOException ignored) {
            // the test is over
        }
    }
}
