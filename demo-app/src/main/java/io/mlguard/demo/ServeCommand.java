package io.mlguard.demo;

import io.mlguard.demo.server.ModelServer;
import java.nio.file.Path;
import java.util.Set;

/** {@code serve --models DIR [--port N] [--verbose]}: runs until the process is stopped. */
final class ServeCommand {
    private ServeCommand() {}

    static int run(String[] argv) throws Exception {
        Args args = Args.parse(argv, Set.of("models", "port"), Set.of("verbose"));
        Path models = args.requiredPath("models");
        int port = args.getInt("port", 8080, 0, 65535);
        ModelServer server = ModelServer.start(models, port, args.flag("verbose"));
        // model messages go to stderr so that stdout's first line is the one scripts wait for
        server.loadMessages().forEach(System.err::println);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        System.out.println("mlguard-demo listening on " + server.baseUrl());
        System.out.flush();
        return 0;
    }
}
