package io.mlguard.bootstrap;

/** The text {@code java -jar mlguard.jar} prints. */
public final class Usage {
    /** Every setting the agent reads is listed here (AgentConfigTest holds them together). */
    public static final String TEXT =
            String.join(
                    "\n",
                    "mlguard agent: summarises every model inference of a Java server into a"
                            + " Chronicle Queue for the mlguard collector.",
                    "",
                    "Usage:",
                    "  java -javaagent:mlguard.jar[=key=value,...] -jar your-server.jar",
                    "  java -javaagent:opentelemetry-javaagent.jar -Dotel.javaagent.extensions=mlguard.jar"
                            + " [-Dmlguard.<key>=...] -jar your-server.jar",
                    "                       as an OpenTelemetry Java agent extension: records carry"
                            + " the trace and span ids",
                    "  java -jar mlguard.jar attach <pid> [key=value,...]   instrument a running JVM",
                    "  java -jar mlguard.jar list                           list running JVMs",
                    "  java -jar mlguard.jar --help                         this text",
                    "",
                    "Options (agent argument, or -Dmlguard.<key>=..., or MLGUARD_<KEY>=...):",
                    "  queue=DIR            queue directory shared with the collector"
                            + " (default: ${java.io.tmpdir}/mlguard/queue)",
                    "  clientHeader=NAME    request header that names the client"
                            + " (default: X-Client-Id; the remote address otherwise)",
                    "  clientIdKeyFile=F    pseudonymise client ids with the key in F:"
                            + " only p:<HMAC-SHA256> is written (or clientIdKey=KEY, e.g. from"
                            + " MLGUARD_CLIENT_ID_KEY; 16 bytes or more)",
                    "  statsIntervalSeconds=N  write the agent's own counters every N s"
                            + " (default: 10; 0 never)",
                    "  maxElements=N        elements read per tensor before sampling"
                            + " (default: 65536)",
                    "  topK=N               classes kept per output (default: 5)",
                    "  captureFeatures=B    copy small tabular inputs into records"
                            + " (default: false)",
                    "  asyncWrite=B         write records to the queue on an agent thread, not"
                            + " on the serving thread (default: false)",
                    "  deferSummaries=M     auto, true or false: copy tensors on the serving"
                            + " thread, summarise and write them on an agent thread (default:"
                            + " auto, for models whose captures have deferAboveElements or more,"
                            + " and for all while the host has a core to spare)",
                    "  deferAboveElements=N elements (inputs and outputs) from which auto defers"
                            + " a model's captures, from a thread's fifth capture on (default:"
                            + " 2048)",
                    "  deferOnSpareCore=B   auto defers small captures too while the host has"
                            + " half a core or more idle, read from /proc (default: true)",
                    "  captureSlots=N       the most inferences a thread may have waiting for that"
                            + " thread: its ring starts at 64, doubles when found full and"
                            + " halves after 10 s under a quarter full (default: 1024)",
                    "  stageKb=N            the most KB of tensors a thread keeps waiting, grown"
                            + " and shrunk alike; an inference of more than 256 KB is"
                            + " summarised in place (default: 4096)",
                    "  nativeTensorAccess=M auto, true or false: read ONNX Runtime outputs"
                            + " through the agent's JNI shim, with no new buffer per read"
                            + " (default: auto, Linux x86-64, and on JDK 24+ only with"
                            + " --enable-native-access)",
                    "  queueAdvice=M        auto, true or false: where the queue's disk reads"
                            + " ahead more than 1 MB, have the kernel read its pages one at a"
                            + " time (madvise, through the JNI shim; default: auto, as above)",
                    "  featureLimit=N       the most values of a tabular input copied with"
                            + " captureFeatures (default: 64)",
                    "  agentId=ID           the name records carry for this JVM (default: pid@host)",
                    "  minFreeDiskMb=N      capture pauses while the queue's file system has less"
                            + " free space (default: 256)",
                    "  enforce=B            obey the collector's block, throttle and sample commands"
                            + " (default: false)",
                    "  controlQueue=DIR     where those commands come from (default: control beside"
                            + " the queue directory)",
                    "  captureSampleEvery=N one inference in N per thread has its capture time"
                            + " measured for the agent's counters (default: 64)",
                    "  ignoreLoaders=L;..   class loaders (class names, or prefixes ending in *)"
                            + " whose classes are left uninstrumented (default: none)",
                    "  enabled=B            false switches the agent off (default: true)",
                    "  debug=B              print agent diagnostics (default: false)",
                    "");

    private Usage() {}
}
