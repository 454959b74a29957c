package com.meltano.auth.oauth2.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            while ((n = in.read(buffer)) != -1) {
                all.write(buffer, 0, n);
            }
        } catch (IOException reset) {
            if (all.size() == 0) {
                throw reset;
            }
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete HTTP response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", i);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(i, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            i = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
