package io.mlguard.it;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A plain Netty 4.1 HTTP server: codec, aggregator, and a handler that leaves the event loop for a
 * business executor, which runs the inference and writes the response. Args: the ONNX model file.
 */
public final class NettyHttpApp {
    private NettyHttpApp() {}

    public static void main(String[] args) throws Exception {
        DigitModel model = new DigitModel(args[0]);
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(1);
        Channel server =
                new ServerBootstrap()
                        .group(boss, workers)
                        .channel(NioServerSocketChannel.class)
                        .childHandler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel ch) {
                                        ch.pipeline()
                                                .addLast(new HttpServerCodec())
                                                .addLast(new HttpObjectAggregator(1 << 20))
                                                .addLast(new InferHandler(model));
                                    }
                                })
                        .bind("127.0.0.1", 0)
                        .sync()
                        .channel();
        System.out.println("listening on " + ((InetSocketAddress) server.localAddress()).getPort());
        server.closeFuture().sync();
    }

    static final class InferHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final DigitModel model;

        InferHandler(DigitModel model) {
            this.model = model;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            int index = DigitModel.index(req.content().toString(StandardCharsets.UTF_8));
            model.business.execute(
                    () -> {
                        FullHttpResponse resp;
                        try {
                            byte[] body =
                                    model.answer("netty", index).getBytes(StandardCharsets.UTF_8);
                            resp =
                                    new DefaultFullHttpResponse(
                                            HttpVersion.HTTP_1_1,
                                            HttpResponseStatus.OK,
                                            Unpooled.wrappedBuffer(body));
                        } catch (Exception e) {
                            resp =
                                    new DefaultFullHttpResponse(
                                            HttpVersion.HTTP_1_1,
                                            HttpResponseStatus.INTERNAL_SERVER_ERROR);
                        }
                        resp.headers()
                                .set(
                                        HttpHeaderNames.CONTENT_LENGTH,
                                        resp.content().readableBytes());
                        ctx.writeAndFlush(resp);
                    });
        }
    }
}
