package dev.muelle.engine.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A blocking OutputStream onto a Netty channel, for handlers that stream (logs, events, stats,
 * attach). Every write is flushed (clients render progress as it comes); a writer waits while
 * the channel is not writable so a slow client cannot make the engine buffer without bound.
 * Writes to a closed channel fail with IOException, which ends follow loops.
 */
final class ChannelOutput extends OutputStream {

    private final Channel channel;
    private final boolean chunked;

    ChannelOutput(Channel channel, boolean chunked) {
        this.channel = channel;
        this.chunked = chunked;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        awaitWritable();
        var buf = Unpooled.copiedBuffer(b, off, len);
        Object msg = chunked ? new DefaultHttpContent(buf) : buf;
        var f = channel.writeAndFlush(msg);
        if (f.isDone() && !f.isSuccess()) {
            throw new IOException("client connection closed");
        }
    }

    private void awaitWritable() throws IOException {
        synchronized (this) {
            while (channel.isActive() && !channel.isWritable()) {
                try {
                    wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
        }
        if (!channel.isActive()) {
            throw new IOException("client connection closed");
        }
    }

    /** Called from the event loop when writability changes. */
    synchronized void writabilityChanged() {
        notifyAll();
    }
}
