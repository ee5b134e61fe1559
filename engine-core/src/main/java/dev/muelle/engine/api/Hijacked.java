package dev.muelle.engine.api;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection taken over from HTTP after {@code 101 UPGRADED} (attach, exec start): raw bytes
 * both ways. {@link #in()} is the client's stdin and ends when the client half-closes.
 */
public final class Hijacked {

    private final Channel channel;
    private final InputStream in;
    private final OutputStream out;

    Hijacked(Channel channel, InputStream in, OutputStream out) {
        this.channel = channel;
        this.in = in;
        this.out = out;
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Ends the output side; the client sees EOF on its read side. */
    public void closeWrite() {
        if (channel instanceof DuplexChannel d && d.isActive()) {
            d.shutdownOutput().awaitUninterruptibly();
        }
    }
}
