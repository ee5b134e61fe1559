package dev.muelle.engine.api;

import dev.muelle.engine.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How a handler answers: once, with a full body; or as a chunked stream; or by hijacking the
 * connection. Whatever the handler leaves open is finished by the dispatcher when it returns.
 */
public final class ApiResponse {

    enum Mode { NONE, FULL, STREAM, HIJACKED }

    private final Channel channel;
    private final boolean keepAlive;
    private final boolean head;
    private final boolean upgradeRequested;
    private final HttpDispatcher dispatcher;
    private Mode mode = Mode.NONE;
    private ChannelOutput output;
    private final io.netty.handler.codec.http.HttpHeaders extraHeaders = new io.netty.handler.codec.http.DefaultHttpHeaders();

    ApiResponse(Channel channel, boolean keepAlive, boolean head, boolean upgradeRequested, HttpDispatcher dispatcher) {
        this.channel = channel;
        this.keepAlive = keepAlive;
        this.head = head;
        this.upgradeRequested = upgradeRequested;
        this.dispatcher = dispatcher;
    }

    boolean started() {
        return mode != Mode.NONE;
    }

    Mode mode() {
        return mode;
    }

    /** Adds a header to the response this handler is about to start (ETag, X-Docker-Container-Path-Stat ...). */
    public ApiResponse header(String name, String value) {
        ensureNotStarted();
        extraHeaders.set(name, value);
        return this;
    }

    public void json(int status, Object body) throws IOException {
        bytes(status, "application/json", Json.bytes(body));
    }

    public void text(int status, String contentType, String body) {
        bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public void status(int status) {
        bytes(status, null, new byte[0]);
    }

    public void bytes(int status, String contentType, byte[] body) {
        ensureNotStarted();
        mode = Mode.FULL;
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpDispatcher.commonHeaders(r.headers());
        r.headers().add(extraHeaders);
        if (contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        send(r);
    }

    /** Starts a chunked response; each write reaches the client at once. */
    public OutputStream stream(int status, String contentType) {
        ensureNotStarted();
        mode = Mode.STREAM;
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        HttpDispatcher.commonHeaders(r.headers());
        r.headers().add(extraHeaders);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.writeAndFlush(r);
        output = new ChannelOutput(channel, true);
        dispatcher.watchWritability(output);
        return output;
    }

    /**
     * Takes the connection over: 101 when the client asked to upgrade (docker CLI, docker-py),
     * else 200 followed by the raw stream, as dockerd does for old clients.
     */
    public Hijacked hijack(String contentType) {
        ensureNotStarted();
        mode = Mode.HIJACKED;
        HttpResponse r;
        if (upgradeRequested) {
            r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            r.headers().set(HttpHeaderNames.UPGRADE, "tcp");
        } else {
            r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        }
        HttpDispatcher.commonHeaders(r.headers());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        BodyStream stdin = dispatcher.beginHijack(channel);
        // Encode the response and drop the HTTP codec in one event-loop task, so no byte the
        // client sends after reading the 101 can be parsed as HTTP.
        channel.eventLoop().submit(() -> {
            channel.writeAndFlush(r);
            channel.pipeline().remove(HttpServerCodec.class);
        }).syncUninterruptibly();
        output = new ChannelOutput(channel, false);
        dispatcher.watchWritability(output);
        return new Hijacked(channel, stdin, output);
    }

    /** Called by the dispatcher after the handler returned. */
    void finish() {
        switch (mode) {
            case NONE -> status(204);
            case STREAM -> {
                var f = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) {
                    f.addListener(ChannelFutureListener.CLOSE);
                }
            }
            case HIJACKED -> channel.close();
            case FULL -> {
            }
        }
    }

    private void send(FullHttpResponse r) {
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            channel.writeAndFlush(r);
        } else {
            channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void ensureNotStarted() {
        if (mode != Mode.NONE) {
            throw new IllegalStateException("response already started (" + mode + ")");
        }
    }
}
