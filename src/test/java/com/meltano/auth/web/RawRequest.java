package com.meltano.auth.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import com.meltano.auth.support.RawResponse;

/**
 * One HTTP/1.1 request over a plain socket with the exact bytes given: request targets with raw
 * non-ASCII bytes or a lone {@code %}, bodies with invalid UTF-8, which HTTP clients would
 * re-encode or refuse to send.
 */
final class RawRequest {

    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String contentType() {
            String type = header("Content-Type");
            return type == null ? "" : type;
        }
    }

    private RawRequest() {
    }

    /** {@code target} is taken as ISO-8859-1 characters, one byte each. */
    static Reply send(int port, String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: localhost:").append(port).append("\r\n");
        head.append("Connection: close\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException answeredEarly) {
                // the answer is read below
            }
            return read(socket.getInputStream());
        }
    }

    private static Reply read(InputStream in) throws IOException {
        RawResponse r = RawResponse.read(in);
        return new Reply(r.status(), r.headers(), r.body());
    }
}
