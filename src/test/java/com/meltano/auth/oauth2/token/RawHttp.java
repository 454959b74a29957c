package com.meltano.auth.oauth2.token;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import com.meltano.auth.support.RawResponse;

/**
 * A deliberately small HTTP/1.1 client over a plain socket, for what RestAssured cannot do: choose
 * the source address (a second loopback address stands in for a second caller) and send a chunked
 * body with no {@code Content-Length}. Writing may fail once the server has answered and closed,
 * which is what a server refusing an oversized body does; the answer is still read.
 */
final class RawHttp {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** A form POST with a {@code Content-Length}, sent from {@code source}. */
    static Response postForm(InetAddress source, int port, String path, String authorization, String form) throws IOException {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = requestHead(port, path, authorization);
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        return exchange(source, port, head.toString().getBytes(StandardCharsets.US_ASCII), body, false);
    }

    /** A form POST with {@code Transfer-Encoding: chunked}, so the server cannot know the size in advance. */
    static Response postFormChunked(int port, String path, String authorization, String form) throws IOException {
        StringBuilder head = requestHead(port, path, authorization);
        head.append("Transfer-Encoding: chunked\r\n\r\n");
        return exchange(InetAddress.getLoopbackAddress(), port, head.toString().getBytes(StandardCharsets.US_ASCII),
                form.getBytes(StandardCharsets.UTF_8), true);
    }

    private static StringBuilder requestHead(int port, String path, String authorization) {
        StringBuilder head = new StringBuilder();
        head.append("POST ").append(path).append(" HTTP/1.1\r\n");
        head.append("Host: localhost:").append(port).append("\r\n");
        head.append("Content-Type: application/x-www-form-urlencoded\r\n");
        head.append("Accept: application/json\r\n");
        head.append("Connection: close\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        return head;
    }

    private static Response exchange(InetAddress source, int port, byte[] head, byte[] body, boolean chunked) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head);
                if (chunked) {
                    int chunk = 8 * 1024;
                    for (int i = 0; i < body.length; i += chunk) {
                        int n = Math.min(chunk, body.length - i);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, i, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write(body);
                }
                out.flush();
            } catch (IOException serverStoppedReading) {
                // the server answered early and closed; its answer is what the test is about
            }
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        RawResponse r = RawResponse.read(in);
        return new Response(r.status(), r.headers(), r.body());
    }
}
