package io.mlguard.demo.server;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mlguard.demo.Json;
import io.mlguard.demo.server.Messages.ModelMetadata;
import io.mlguard.demo.server.Messages.ModelReady;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Maps Open Inference Protocol v2 paths to actions on the repository. */
final class Routes {
    private final ModelRepository repository;
    private final RequestStats stats;
    private final InferenceRunner runner = new InferenceRunner();

    Routes(ModelRepository repository, RequestStats stats) {
        this.repository = repository;
        this.stats = stats;
    }

    Reply handle(String method, String path, byte[] body) throws IOException, OrtException {
        String[] s =
                Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toArray(String[]::new);
        if (s.length == 0 || !s[0].equals("v2")) {
            throw ApiException.notFound("no such endpoint: " + path);
        }
        String route = s.length > 1 ? s[1] : "";
        if (s.length == 1) {
            need("GET", method, path);
            return Reply.ok(
                    new Messages.ServerMetadata("mlguard-demo", "1", List.of("model_repository")));
        } else if (route.equals("health") && s.length == 3 && s[2].equals("live")) {
            need("GET", method, path);
            return Reply.ok(new Messages.Live(true));
        } else if (route.equals("health") && s.length == 3 && s[2].equals("ready")) {
            need("GET", method, path);
            return Reply.ok(new Messages.Ready(true));
        } else if (route.equals("stats") && s.length == 2) {
            need("GET", method, path);
            return Reply.ok(stats.snapshot());
        } else if (route.equals("repository")) {
            return repositoryRoute(method, path, s);
        } else if (route.equals("models") && s.length >= 3) {
            return modelRoute(method, path, body, s);
        }
        throw ApiException.notFound("no such endpoint: " + path);
    }

    private Reply repositoryRoute(String method, String path, String[] s) {
        if (s.length == 3 && s[2].equals("index")) {
            need("POST", method, path);
            return Reply.ok(repository.index());
        }
        if (s.length == 5 && s[2].equals("models")) {
            need("POST", method, path);
            if (s[4].equals("load")) {
                LoadedModel model = repository.load(s[3]);
                return Reply.ok(Map.of("name", model.name(), "version", "" + model.version()));
            } else if (s[4].equals("unload")) {
                repository.unload(s[3]);
                return Reply.ok(Map.of("name", s[3], "state", "UNAVAILABLE"));
            }
        }
        throw ApiException.notFound("no such endpoint: " + path);
    }

    /** {@code /v2/models/NAME[/versions/V][/ready|/infer]}. */
    private Reply modelRoute(String method, String path, byte[] body, String[] s)
            throws IOException, OrtException {
        String name = s[2];
        String version = null;
        int rest = 3;
        if (s.length >= 5 && s[3].equals("versions")) {
            version = s[4];
            rest = 5;
        }
        String action = s.length == rest ? "" : s.length == rest + 1 ? s[rest] : null;
        if ("".equals(action)) {
            need("GET", method, path);
            LoadedModel model = repository.peek(name);
            if (model == null) {
                throw new ApiException(503, "model '" + name + "' is not loaded");
            }
            checkVersion(model, version);
            return Reply.ok(ModelMetadata.of(model));
        } else if ("ready".equals(action)) {
            need("GET", method, path);
            LoadedModel model = repository.peek(name);
            boolean ready =
                    model != null && (version == null || version.equals("" + model.version()));
            return new Reply(ready ? 200 : 503, new ModelReady(name, ready));
        } else if ("infer".equals(action)) {
            need("POST", method, path);
            return infer(name, version, body);
        }
        throw ApiException.notFound("no such endpoint: " + path);
    }

    private Reply infer(String name, String version, byte[] body) throws IOException, OrtException {
        if (body.length == 0) {
            throw ApiException.badRequest("request body is empty");
        }
        JsonNode root = Json.MAPPER.readTree(body);
        LoadedModel model = repository.acquire(name);
        try {
            checkVersion(model, version);
            InferenceRequest request = InferenceRequest.parse(root, model);
            Reply reply = Reply.ok(runner.run(model, request));
            stats.inference(name);
            return reply;
        } finally {
            model.release();
        }
    }

    private static void checkVersion(LoadedModel model, String version) {
        if (version != null && !version.equals(Long.toString(model.version()))) {
            throw ApiException.notFound(
                    "model '"
                            + model.name()
                            + "' has no version "
                            + version
                            + " loaded (serving version "
                            + model.version()
                            + ")");
        }
    }

    private static void need(String expected, String method, String path) {
        if (!expected.equals(method)) {
            throw new ApiException(
                    405, method + " is not allowed on " + path + "; use " + expected);
        }
    }
}
