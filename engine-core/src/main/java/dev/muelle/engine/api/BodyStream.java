package dev.muelle.engine.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * Bytes arriving on the event loop, read by a blocking handler thread: a request body or, after
 * a hijack, the client's stdin. Backpressure: past {@link #HIGH_WATER} buffered bytes the channel
 * stops reading until the handler catches up.
 */
final class BodyStream extends InputStream {

    private static final int HIGH_WATER = 1 << 20;

    private final Channel channel;
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private long buffered;
    private boolean ended;
    private boolean closed;

    BodyStream(Channel channel) {
        this.channel = channel;
    }

    /** Event loop: more bytes (retained by the caller for us). */
    synchronized void offer(ByteBuf buf) {
        if (closed) {
            buf.release();
            return;
        }
        chunks.add(buf);
        buffered += buf.readableBytes();
        if (buffered > HIGH_WATER) {
            channel.config().setAutoRead(false);
        }
        notifyAll();
    }

    /** Event loop: no more bytes will come (end of body, input shut down, or channel closed). */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    synchronized boolean isEnded() {
        return ended && chunks.isEmpty();
    }

    @Override
    public synchronized int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (chunks.isEmpty()) {
            if (ended || closed) {
                return -1;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        ByteBuf head = chunks.peek();
        int n = Math.min(len, head.readableBytes());
        head.readBytes(b, off, n);
        buffered -= n;
        if (!head.isReadable()) {
            chunks.poll().release();
        }
        if (buffered < HIGH_WATER / 2 && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
            channel.read();
        }
        return n;
    }

    @Override
    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, buffered);
    }

    @Override
    public synchronized void close() {
        closed = true;
        chunks.forEach(ByteBuf::release);
        chunks.clear();
        buffered = 0;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        notifyAll();
    }
}
