package dev.muelle.engine.api;

import dev.muelle.engine.system.IdlePools;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** The Docker Engine API on a unix socket: Netty epoll for I/O, a worker pool for handlers. */
public final class ApiServer implements AutoCloseable {

    private final Path socket;
    // One group accepts and serves: a desktop engine has a handful of clients, and a thread
    // spent only on accepting costs stack and malloc memory all day (bench/run's idle RSS).
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    private final ExecutorService workers = IdlePools.unbounded("api");
    private Channel server;

    public ApiServer(Path socket) {
        this.socket = socket;
    }

    public void start(Router router) throws IOException, InterruptedException {
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        ServerBootstrap b = new ServerBootstrap()
                .group(io)
                .channel(EpollServerDomainSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(8192, 64 * 1024, 64 * 1024));
                        ch.pipeline().addLast(new HttpServerExpectContinueHandler());
                        ch.pipeline().addLast(new HttpDispatcher(router, workers));
                    }
                });
        server = b.bind(new DomainSocketAddress(socket.toFile())).sync().channel();
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // best effort at shutdown
        }
    }
}
