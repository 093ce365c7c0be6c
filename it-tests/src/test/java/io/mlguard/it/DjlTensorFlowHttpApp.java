package io.mlguard.it;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mlguard.demo.data.Dataset;
import io.mlguard.demo.data.MnistData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Map;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A JDK {@code HttpServer} serving three models that are not ONNX Runtime sessions of its own: the
 * MNIST ONNX file (argument 0) through DJL's ONNX Runtime engine at {@code /djl}, and {@link
 * TensorFlowApp}'s classifier through a TensorFlow {@code Session} at {@code /tf-session} and a
 * {@code ConcreteFunction} at {@code /tf-function}. The body names the input (a held-out digit, or
 * a row of {@link TestApps#rows()}). Like a typical server it turns any exception into HTTP 500
 * carrying the exception's class and message. Runs in a forked JVM, with and without the agent.
 */
public final class DjlTensorFlowHttpApp {
    private final Dataset heldOut = MnistData.load().heldOut();
    private final Predictor<NDList, NDList> predictor;
    private final NDManager manager = NDManager.newBaseManager("OnnxRuntime");
    private final Graph graph = new Graph();
    private final Session session;
    private final ConcreteFunction function =
            ConcreteFunction.create(tf -> TensorFlowApp.classifier(tf, "classify"));

    private DjlTensorFlowHttpApp(String onnxFile) throws Exception {
        ZooModel<NDList, NDList> model =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelPath(Paths.get(onnxFile))
                        .optEngine("OnnxRuntime")
                        .optOption("interOpNumThreads", "1")
                        .optTranslator(new NoopTranslator())
                        .build()
                        .loadModel();
        predictor = model.newPredictor();
        TensorFlowApp.classifier(Ops.create(graph), "serving_default");
        session = new Session(graph);
    }

    public static void main(String[] args) throws Exception {
        DjlTensorFlowHttpApp app = new DjlTensorFlowHttpApp(args[0]);
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/djl", ex -> app.handle(ex, "djl"));
        server.createContext("/tf-session", ex -> app.handle(ex, "tf-session"));
        server.createContext("/tf-function", ex -> app.handle(ex, "tf-function"));
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
    }

    private synchronized void handle(HttpExchange ex, String route) throws IOException {
        int status = 200;
        String body;
        try {
            int index = DigitModel.index(new String(ex.getRequestBody().readAllBytes()));
            body = answer(route, index);
        } catch (Exception e) {
            status = 500;
            body = e.getClass().getName() + ": " + e.getMessage();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String answer(String route, int index) throws Exception {
        if (route.equals("djl")) {
            float[][] x = {heldOut.image(index)};
            NDList out = predictor.predict(new NDList(manager.create(x)));
            return TestApps.answer(route, index, DjlOnnxApp.scores(out, 1));
        }
        float[][] x = {TestApps.rows().get(index % TestApps.rows().size())[0]};
        try (TFloat32 t = TFloat32.tensorOf(StdArrays.ndCopyOf(x))) {
            if (route.equals("tf-session")) {
                try (Result r = session.runner().feed("x", t).fetch("probs").run()) {
                    return TestApps.answer(
                            route, index, StdArrays.array2dCopyOf((TFloat32) r.get(0)));
                }
            }
            try (Result r = function.call(Map.of("x", (Tensor) t))) {
                return TestApps.answer(
                        route,
                        index,
                        StdArrays.array2dCopyOf((TFloat32) r.get("probs").orElseThrow()));
            }
        }
    }
}
