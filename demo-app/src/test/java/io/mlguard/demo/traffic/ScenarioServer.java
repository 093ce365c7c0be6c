package io.mlguard.demo.traffic;

import io.mlguard.demo.TestModels;
import io.mlguard.demo.model.CreditModels;
import io.mlguard.demo.server.ModelServer;
import java.io.IOException;
import java.nio.file.Path;

/** A real server with the mnist and credit models, for the scenario tests. */
final class ScenarioServer {
    private ScenarioServer() {}

    static ModelServer start(Path models) throws IOException {
        TestModels.writeRepository(models);
        CreditModels.write(models, CreditModels.train());
        return ModelServer.start(models, 0, false);
    }
}
