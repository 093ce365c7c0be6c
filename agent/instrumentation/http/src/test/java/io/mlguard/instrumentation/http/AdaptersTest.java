package io.mlguard.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.core.request.RequestContext;
import io.mlguard.protocol.ClientIdSource;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Netty and servlet adapters on real request types, reached without naming them. */
class AdaptersTest {
    final NettyRequestAdapter netty = new NettyRequestAdapter();

    @Test
    void nettyTellsRequestsFromOtherMessages() {
        assertThat(
                        netty.isRequest(
                                new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/")))
                .isTrue();
        assertThat(
                        netty.isRequest(
                                new DefaultFullHttpRequest(
                                        HttpVersion.HTTP_1_1, HttpMethod.POST, "/x")))
                .isTrue();
        assertThat(netty.isRequest(Unpooled.buffer(1))).isFalse();
        assertThat(netty.isRequest("text")).isFalse();
    }

    @Test
    void nettyTakesTheHeaderElseTheChannelsRemoteAddress() {
        DefaultFullHttpRequest req =
                new DefaultFullHttpRequest(
                        HttpVersion.HTTP_1_1, HttpMethod.POST, "/v2/models/m/infer?debug=1");
        req.headers().set("X-Client-Id", "tenant-7");
        RequestContext c = netty.resolve(req, null, "X-Client-Id");
        assertThat(c.source).isEqualTo(ClientIdSource.HEADER);
        assertThat(c.clientId).isEqualTo("tenant-7");
        assertThat(c.path).isEqualTo("/v2/models/m/infer");

        ChannelHandlerContext[] ctx = new ChannelHandlerContext[1];
        EmbeddedChannel ch =
                new EmbeddedChannel(
                        new ChannelInboundHandlerAdapter() {
                            @Override
                            public void handlerAdded(ChannelHandlerContext c) {
                                ctx[0] = c;
                            }
                        });
        req.headers().remove("X-Client-Id");
        RequestContext r = netty.resolve(req, ctx[0], "X-Client-Id");
        assertThat(r.source).isEqualTo(ClientIdSource.NONE); // an embedded channel has no IP
        assertThat(r.path).isEqualTo("/v2/models/m/infer");
        assertThat(NettyAccess.REMOTE_ADDRESS.get(ctx[0].getClass()))
                .as("the remote address is reachable from the context")
                .isNotNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void servletTakesTheHeaderElseTheRemoteAddr() {
        ServletRequestAdapter servlet = new ServletRequestAdapter("jakarta");
        HttpServletRequest withHeader =
                request(
                        Map.of(
                                "getHeader",
                                "alice",
                                "getRemoteAddr",
                                "203.0.113.9",
                                "getRequestURI",
                                "/p"));
        RequestContext c = servlet.resolve(withHeader, null, "X-Client-Id");
        assertThat(c.source).isEqualTo(ClientIdSource.HEADER);
        assertThat(c.clientId).isEqualTo("alice");
        assertThat(c.path).isEqualTo("/p");
        HttpServletRequest noHeader =
                request(Map.of("getRemoteAddr", "203.0.113.9", "getRequestURI", "/q"));
        RequestContext r = servlet.resolve(noHeader, null, "X-Client-Id");
        assertThat(r.source).isEqualTo(ClientIdSource.REMOTE_ADDRESS);
        assertThat(r.clientId).isEqualTo("203.0.113.9");
        assertThat(new ServletRequestAdapter("javax").resolve(noHeader, null, "X"))
                .as("a jakarta request is not a javax one")
                .isNull();
    }

    private static HttpServletRequest request(Map<String, String> answers) {
        return (HttpServletRequest)
                Proxy.newProxyInstance(
                        AdaptersTest.class.getClassLoader(),
                        new Class<?>[] {HttpServletRequest.class},
                        (p, m, a) -> answers.get(m.getName()));
    }
}
