package dev.muelle.desktop.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A minimal {@code GET /_ping} over a unix or TCP socket, without a full client, so finding an
 * engine costs a few milliseconds per candidate and loads no HTTP stack.
 */
public final class SocketPing {

    private SocketPing() {
    }

    /** Whether {@code endpoint} ({@code unix:///path} or {@code tcp://host:port}) answers 200 OK. */
    public static boolean answers(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            SocketAddress address;
            StandardProtocolFamily family;
            if ("unix".equals(uri.getScheme())) {
                Path socket = Path.of(uri.getPath());
                if (!Files.exists(socket)) {
                    return false;
                }
                address = UnixDomainSocketAddress.of(socket);
                family = StandardProtocolFamily.UNIX;
            } else if ("tcp".equals(uri.getScheme()) || "http".equals(uri.getScheme())) {
                address = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
                family = StandardProtocolFamily.INET;
            } else {
                return false;
            }
            try (SocketChannel channel = SocketChannel.open(family)) {
                channel.connect(address);
                channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: engine\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer buffer = ByteBuffer.allocate(512);
                // HTTP/1.0: the engine closes after the answer; 512 bytes hold the status line and "OK".
                while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                    // keep reading
                }
                String answer = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
                return answer.startsWith("HTTP/1.") && answer.substring(9).startsWith("200");
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
