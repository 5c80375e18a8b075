package io.mantis.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 GET client over one kept-alive loopback connection, for timing servers:
 * it reads the response (fixed length or chunked) into a reused buffer and does nothing else
 * with it. A general client spends about as long on a few hundred kilobytes of answer as a fast
 * server spends producing it; that time is the same for every server and pulls latency ratios
 * towards 1. Not thread-safe; one per server.
 */
final class LeanHttpClient implements AutoCloseable {

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private byte[] body = new byte[1 << 16];
    private final StringBuilder line = new StringBuilder(128);

    LeanHttpClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** GETs {@code pathAndQuery}; returns the status code. The body is read and dropped. */
    int get(String pathAndQuery) throws IOException {
        try {
            return exchange(pathAndQuery);
        } catch (IOException e) {
            // The server may have closed an idle kept-alive connection: one fresh try.
            close();
            return exchange(pathAndQuery);
        }
    }

    private int exchange(String pathAndQuery) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(300_000);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = socket.getOutputStream();
        }
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 ") && !status.startsWith("HTTP/1.0 ")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String h = readLine(); !h.isEmpty(); h = readLine()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        if (chunked) {
            while (true) {
                String size = readLine();
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                skip(n);
                readLine();
            }
        } else if (length >= 0) {
            skip(length);
        } else {
            while (in.read(body) >= 0) {
                // read to the end of the connection
            }
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return code;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            int r = in.read(body, 0, (int) Math.min(body.length, n));
            if (r < 0) {
                throw new EOFException("response ended " + n + " bytes early");
            }
            n -= r;
        }
    }

    private String readLine() throws IOException {
        line.setLength(0);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) c);
        }
        throw new EOFException("connection closed in a header");
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a loopback socket: nothing to do about it
            }
            socket = null;
        }
    }
}
