package io.mlguard.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * An embedded Tomcat 9 ({@code javax.servlet}) server whose servlet submits the inference to a
 * business executor and waits for it. Args: the ONNX model file.
 */
public final class TomcatJavaxApp {
    private TomcatJavaxApp() {}

    public static void main(String[] args) throws Exception {
        DigitModel model = new DigitModel(args[0]);
        File base = Files.createTempDirectory("tomcat").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getPath());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", base.getPath());
        Tomcat.addServlet(context, "infer", new InferServlet(model));
        context.addServletMappingDecoded("/*", "infer");
        tomcat.start();
        System.out.println("listening on " + tomcat.getConnector().getLocalPort());
        tomcat.getServer().await();
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
            String answer;
            try {
                answer = model.business.submit(() -> model.answer("tomcat", index)).get();
            } catch (Exception e) {
                resp.setStatus(500);
                return;
            }
            resp.setContentType("text/plain");
            resp.getWriter().write(answer);
        }
    }
}
