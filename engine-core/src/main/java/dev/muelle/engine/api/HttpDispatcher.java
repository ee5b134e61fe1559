package dev.muelle.engine.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One per connection: turns Netty's HTTP messages into {@link ApiRequest}s run on worker
 * threads (handlers may block on runc, SQLite or a follow stream), and feeds request bodies and,
 * after a hijack, raw client bytes into a {@link BodyStream}.
 */
final class HttpDispatcher extends ChannelInboundHandlerAdapter {

    static final String MAX_VERSION = "1.47";
    static final String MIN_VERSION = "1.24";
    private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");
    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatcher.class);

    private final Router router;
    private final ExecutorService workers;
    private final List<ChannelOutput> outputs = new CopyOnWriteArrayList<>();
    /** The current request's body; HTTP content always goes here. */
    private volatile BodyStream body;
    /** After a hijack: the client's raw bytes (stdin). Kept apart from {@link #body} because the
     * request's last (empty) content may still be in flight when the handler hijacks. */
    private volatile BodyStream stdin;
    /**
     * Half-closure is allowed (a hijacked client half-closes when its stdin ends), so a client
     * that hangs up only shuts our input: the connection is closed here once no request runs.
     */
    private volatile boolean requestRunning;
    private volatile boolean inputShutdown;
    /** Completes when the client has gone: its side shut (read EOF) or the connection closed. */
    private final CompletableFuture<Void> clientGone = new CompletableFuture<>();

    HttpDispatcher(Router router, ExecutorService workers) {
        this.router = router;
        this.workers = workers;
    }

    static void commonHeaders(HttpHeaders h) {
        h.set("Api-Version", MAX_VERSION);
        h.set("Docker-Experimental", "false");
        h.set("Ostype", "linux");
        h.set(HttpHeaderNames.SERVER, "Muelle/" + dev.muelle.engine.system.EngineVersion.VERSION + " (linux)");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            onRequest(ctx, req);
        }
        if (msg instanceof HttpContent content) {
            BodyStream b = body;
            if (b != null) {
                b.offer(content.content().retain());
                if (content instanceof LastHttpContent) {
                    b.end();
                }
            }
            content.release();
        } else if (msg instanceof ByteBuf raw) {
            BodyStream in = stdin;
            if (in != null) {
                in.offer(raw);
            } else {
                raw.release();
            }
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest req) {
        body = new BodyStream(ctx.channel());
        BodyStream requestBody = body;
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = req.method().name().equals("HEAD");
        boolean upgrade = "tcp".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE));
        ApiResponse response = new ApiResponse(ctx.channel(), keepAlive, head, upgrade, this);
        if (req.decoderResult().isFailure()) {
            workers.execute(() -> fail(response, new ApiException(400, "malformed HTTP request")));
            return;
        }
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        String path = qs.path();
        String version = MAX_VERSION;
        Matcher m = VERSIONED.matcher(path);
        String versionError = null;
        if (m.matches()) {
            version = m.group(1);
            path = m.group(2);
            if (ApiRequest.compareVersions(version, MAX_VERSION) > 0) {
                versionError = "client version " + version + " is too new. Maximum supported API version is " + MAX_VERSION;
            } else if (ApiRequest.compareVersions(version, MIN_VERSION) < 0) {
                versionError = "client version " + version + " is too old. Minimum supported API version is "
                        + MIN_VERSION + ", please upgrade your client to a newer version";
            }
        }
        Router.Match match = router.match(req.method().name(), path);
        ApiRequest request = new ApiRequest(req.method().name(), path, version,
                match == null ? Map.of() : match.params(), qs.parameters(), req.headers(), requestBody, ctx.channel(), clientGone);
        String finalVersionError = versionError;
        requestRunning = true;
        workers.execute(() -> {
            try {
                if (finalVersionError != null) {
                    throw new ApiException(400, finalVersionError);
                }
                if (match == null) {
                    throw new ApiException(404, "page not found");
                }
                match.handler().handle(request, response);
                response.finish();
            } catch (Throwable t) {
                fail(response, t);
            } finally {
                if (response.mode() != ApiResponse.Mode.HIJACKED) {
                    requestBody.close();
                }
                requestRunning = false;
                if (inputShutdown) {
                    closeAfterFlush(ctx);
                }
            }
        });
    }

    private void fail(ApiResponse response, Throwable t) {
        ErrorMapper.Mapped mapped = ErrorMapper.map(t);
        if (mapped.status() >= 500) {
            LOG.warn("request failed: {}", mapped.message(), t);
        } else {
            LOG.debug("request refused ({}): {}", mapped.status(), mapped.message());
        }
        try {
            if (!response.started()) {
                if (mapped.status() == 304) {
                    response.status(304);
                } else {
                    response.json(mapped.status(), Map.of("message", mapped.message()));
                }
            } else {
                // Mid-stream: the status line is gone; the stream's own error framing (if any)
                // was the handler's job. Finish what we can.
                response.finish();
            }
        } catch (Exception e) {
            LOG.debug("could not send error response", e);
        }
    }

    /**
     * From here on raw client bytes are the session's stdin. A fresh stream: the request's own
     * body has already ended (attach requests have none), and its end must not read as stdin EOF.
     */
    BodyStream beginHijack(io.netty.channel.Channel channel) {
        BodyStream in = new BodyStream(channel);
        stdin = in;
        return in;
    }

    private void endInputs() {
        BodyStream b = body;
        if (b != null) {
            b.end();
        }
        BodyStream in = stdin;
        if (in != null) {
            in.end();
        }
    }

    void watchWritability(ChannelOutput out) {
        outputs.add(out);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        outputs.forEach(ChannelOutput::writabilityChanged);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            endInputs();
            clientGone.complete(null);
            inputShutdown = true;
            if (!requestRunning) {
                closeAfterFlush(ctx);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private static void closeAfterFlush(ChannelHandlerContext ctx) {
        ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endInputs();
        clientGone.complete(null);
        outputs.forEach(ChannelOutput::writabilityChanged);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection error", cause);
        ctx.close();
    }
}
