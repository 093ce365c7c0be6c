package io.mlguard.it;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A Jetty 12 (ee10, {@code jakarta.servlet}) server whose servlet goes asynchronous and hands the
 * inference to a business executor, answering from there. Args: the ONNX model file.
 */
public final class JettyServletApp {
    private JettyServletApp() {}

    public static void main(String[] args) throws Exception {
        DigitModel model = new DigitModel(args[0]);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(new InferServlet(model));
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        server.setHandler(context);
        server.start();
        System.out.println("listening on " + connector.getLocalPort());
        server.join();
    }

    static final class InferServlet extends HttpServlet {
        private final transient DigitModel model;

        InferServlet(DigitModel model) {
            this.model = model;
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int index =
                    DigitModel.index(
                            new String(
                                    req.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            AsyncContext async = req.startAsync();
            model.business.execute(
                    () -> {
                        try {
                            String answer = model.answer("jetty", index);
                            async.getResponse().setContentType("text/plain");
                            async.getResponse().getWriter().write(answer);
                        } catch (Exception e) {
                            ((HttpServletResponse) async.getResponse()).setStatus(500);
                        } finally {
                            async.complete();
                        }
                    });
        }
    }
}
