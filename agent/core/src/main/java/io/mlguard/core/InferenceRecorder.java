package io.mlguard.core;

import io.mlguard.bootstrap.ClientBlockedException;
import io.mlguard.bootstrap.Hooks;
import io.mlguard.core.config.AgentConfig;
import io.mlguard.core.control.ControlRules;
import io.mlguard.core.otel.TraceContext;
import io.mlguard.core.queue.QueueWriter;
import io.mlguard.core.request.ClientIdPseudonymiser;
import io.mlguard.core.request.RequestAttribution;
import io.mlguard.core.request.RequestContext;
import io.mlguard.core.summary.Summaries;
import io.mlguard.core.summary.TensorSummarizer;
import io.mlguard.protocol.ClientIdSource;
import io.mlguard.protocol.InferenceRecord;
import io.mlguard.protocol.ModelLoadRecord;
import io.mlguard.protocol.Outcome;

/**
 * The agent's side of every hook: keeps the nesting guards and the request context of each thread,
 * asks the runtime's adapter for the summaries and writes the record. Class loader: agent.
 *
 * <p>Nothing here may reach the application: every method catches {@code Throwable}, counts it and
 * returns.
 */
public final class InferenceRecorder implements Hooks {
    /** One inference in this mask + 1 per thread has its capture time measured (a clock read). */
    private final int captureSampleMask;

    private final AgentConfig config;
    private final QueueWriter writer;
    private final AgentCounters counters;
    private final ModelRegistry models = new ModelRegistry();
    private final RuntimeAdapter[] runtimes;
    private final RequestAttribution requests;
    private final ThreadLocal<ThreadState> state;

    /** The OpenTelemetry trace of the inference, when an OpenTelemetry agent runs. */
    private final TraceContext trace;

    /** Keyed pseudonyms for client ids, or {@code null} when ids are kept as they are. */
    private final ClientIdPseudonymiser pseudonyms;

    /** Block, throttle and sampling rules, or {@code null} when enforcement is off. */
    private final ControlRules rules;

    /** Summarises and writes captured inferences, or {@code null}: the serving threads do. */
    private final SummaryThread summaryThread;

    /** Runs once, before the first request is served; then {@code null}. */
    private volatile Runnable beforeFirstRequest;

    private final Object firstRequestLock = new Object();

    public InferenceRecorder(
            AgentConfig config,
            QueueWriter writer,
            AgentCounters counters,
            RuntimeAdapter[] runtimes,
            RequestAdapter[] servers,
            ControlRules rules) {
        this(
                config,
                writer,
                counters,
                runtimes,
                servers,
                rules,
                config.deferOnSpareCore ? new CpuHeadroom() : null);
    }

    /** As above, with the summary thread reading {@code headroom} (tests give their own). */
    InferenceRecorder(
            AgentConfig config,
            QueueWriter writer,
            AgentCounters counters,
            RuntimeAdapter[] runtimes,
            RequestAdapter[] servers,
            ControlRules rules,
            CpuHeadroom headroom) {
        this.rules = rules;
        this.config = config;
        this.captureSampleMask = config.captureSampleEvery - 1;
        this.writer = writer;
        this.counters = counters;
        this.runtimes = runtimes.clone();
        this.pseudonyms =
                config.clientIdKey == null ? null : new ClientIdPseudonymiser(config.clientIdKey);
        this.requests = new RequestAttribution(servers, config.clientHeader, pseudonyms);
        this.trace = new TraceContext(config.clientHeader);
        // an anonymous class, not withInitial and a lambda: this runs at the agent's start, where
        // each lambda spins a hidden class
        this.state =
                new ThreadLocal<>() {
                    @Override
                    protected ThreadState initialValue() {
                        return new ThreadState(newSummaries());
                    }
                };
        this.summaryThread =
                config.deferSummaries
                        ? new SummaryThread(
                                writer,
                                counters,
                                newSummaries(),
                                Math.min(config.captureSlots, CaptureRing.INITIAL_SLOTS),
                                config.stageBytes,
                                headroom)
                        : null;
    }

    private Summaries newSummaries() {
        return new Summaries(
                new TensorSummarizer(config.maxElements, config.topK),
                config.captureFeatures,
                config.featureLimit);
    }

    public ModelRegistry models() {
        return models;
    }

    @Override
    public void checkAllowed(int runtime, Object target) {
        ControlRules r = rules;
        if (r == null || r.isEmpty()) {
            return;
        }
        String refusal;
        try {
            refusal = refusal(r, runtime, target);
        } catch (Throwable t) {
            internalError("enforcement", t);
            return; // fail-open
        }
        if (refusal != null) {
            throw new ClientBlockedException(refusal);
        }
    }

    /** Why the current request's client may not run this inference; records the refusal. */
    private String refusal(ControlRules r, int runtime, Object target) {
        ThreadState st = state.get();
        if (st.inferenceDepth > 0) {
            return null;
        }
        RequestContext context = requests.current();
        RuntimeAdapter adapter = adapter(runtime);
        if (context == null || context.clientId == null || adapter == null) {
            return null;
        }
        String client = context.clientId;
        ModelIdentity id = models.lookup(target, st.model);
        String refusal =
                r.refusal(
                        client,
                        id == null ? null : id.modelId,
                        System.currentTimeMillis(),
                        System.nanoTime());
        if (refusal != null) {
            counters.inferencesRefused.increment();
            if (st.ring != null) {
                // this thread's captured inferences were served before this refusal
                summaryThread.drain(st.ring, st.summaries);
            }
            InferenceRecord rec = st.record;
            rec.clear();
            rec.timestampMillis = System.currentTimeMillis();
            rec.agentId = config.agentId();
            rec.runtime = adapter.runtimeName();
            if (id != null) {
                rec.modelId = id.modelId;
                rec.modelHashPrefix = id.hashPrefix;
            }
            rec.outcome = Outcome.BLOCKED;
            rec.errorType = ClientBlockedException.class.getName();
            context.describe(rec);
            describeTrace(rec);
            write(st, rec);
        }
        return refusal;
    }

    @Override
    public long enterInference(int runtime) {
        try {
            ThreadState st = state.get();
            if (st.inferenceDepth++ > 0) {
                return 0;
            }
            return System.nanoTime();
        } catch (Throwable t) {
            counters.internalErrors.increment();
            return 0;
        }
    }

    @Override
    public void exitInference(
            int runtime, long token, Object target, Object input, Object result, Throwable thrown) {
        try {
            ThreadState st = state.get();
            if (st.inferenceDepth > 0) {
                st.inferenceDepth--;
            }
            if (token == 0 || st.inferenceDepth != 0) {
                return;
            }
            long latency = System.nanoTime() - token;
            RuntimeAdapter adapter = adapter(runtime);
            if (adapter == null) {
                return;
            }
            InferenceRecord r = st.record;
            r.clear();
            r.latencyNanos = latency;
            r.timestampMillis = st.wall.millisAt(token); // the call's start
            r.agentId = config.agentId();
            r.runtime = adapter.runtimeName();
            ModelIdentity id = models.lookup(target, st.model);
            if (id == null) {
                id = adapter.identifyUnknownModel(target);
                models.register(target, id);
            }
            r.modelId = id.modelId;
            r.modelHashPrefix = id.hashPrefix;
            if (thrown != null) {
                r.outcome = Outcome.ERROR;
                r.errorType = thrown.getClass().getName();
            }
            RequestContext context = requests.current();
            if (context != null) {
                context.describe(r);
            }
            describeTrace(r);
            ControlRules sampling = rules;
            if (sampling != null
                    && sampling.samples()
                    && !sampling.records(r.clientId, r.modelId, r.timestampMillis)) {
                counters.inferencesNotSampled.increment(); // the collector asked for fewer
                return;
            }
            CaptureRing.Slot slot = defer(st, id) ? claimSlot(st) : null;
            if (slot == null || !stage(adapter, target, input, result, st, slot)) {
                st.summaries.resetElements();
                adapter.summarizeInference(target, input, result, r, st.summaries);
                write(st, r);
            }
            int elements = (int) Math.min(Integer.MAX_VALUE, st.summaries.elements());
            if (id.lastElements != elements) {
                // written on a change only: every serving thread reads this object's line
                id.lastElements = elements;
            }
            if ((++st.captures & captureSampleMask) == 0) {
                // capture began at the clock read that ended the call (token + latency); it ends
                // here, before the sample's own counting
                long took = System.nanoTime() - token - latency;
                counters.captureSamples.increment();
                counters.captureSampleNanos.add(took);
            }
        } catch (Throwable t) {
            internalError("inference", t);
        }
    }

    /**
     * With {@code deferSummaries=auto}, a thread's first captures are summarised on it whatever
     * their size: the capture ring a thread needs to defer (64 slots and an arena of 16 KB that
     * grows to fit a capture, up to {@code stageKb}) costs more to make than a few summaries, and a
     * server that gives each request a thread of its own (a thread or a virtual thread per request)
     * would make one per request, each kept until the summary thread next finds nothing to do.
     */
    static final int INLINE_FIRST_CAPTURES = 4;

    /**
     * Whether this inference goes to the summary thread: its model's last capture was large enough
     * ({@code deferAboveElements}), or the host has a core to spare ({@code deferOnSpareCore}), and
     * this thread has captured before ({@link #INLINE_FIRST_CAPTURES}); or this thread still has
     * captures waiting there, which it must not overtake.
     */
    private boolean defer(ThreadState st, ModelIdentity id) {
        SummaryThread summaries = summaryThread;
        if (summaries == null) {
            return false;
        }
        if (id.lastElements >= config.deferAboveElements || spareCore(summaries)) {
            if (st.ring != null
                    || Integer.compareUnsigned(st.captures, INLINE_FIRST_CAPTURES) >= 0
                    || config.deferAboveElements == 0) {
                return true;
            }
        }
        CaptureRing ring = st.ring;
        return ring != null && !ring.isEmpty();
    }

    /**
     * Whether the summary thread found a core to spare; with {@code deferOnSpareCore}, starts it
     * once the queue is open, so that it can look.
     */
    private boolean spareCore(SummaryThread summaries) {
        if (summaries.spareCore()) {
            return true;
        }
        if (config.deferOnSpareCore && !summaries.startedOrStopped() && writer.isOpen()) {
            summaries.start();
        }
        return false;
    }

    /**
     * A free slot of this thread's ring to the summary thread (started by the first capture once
     * the queue is open), or {@code null} when the inference is to be summarised here: the queue
     * not open yet, or the summary thread stopped (this thread's waiting captures are then written
     * here first, so that its records stay in order).
     */
    private CaptureRing.Slot claimSlot(ThreadState st) {
        SummaryThread summaries = summaryThread;
        CaptureRing ring = st.ring;
        if (!summaries.running()) {
            if (ring != null) {
                // stopped (the JVM is exiting): this thread's waiting records go first
                summaries.drain(ring, st.summaries);
                return null;
            }
            if (!writer.isOpen()) {
                // the queue opens in the background: until then records are kept in memory as
                // serialised here, which also loads Chronicle's classes before any exit (their
                // static set-up registers a shutdown hook, which fails once the JVM is exiting)
                return null;
            }
            summaries.start();
            if (!summaries.running()) {
                return null;
            }
        }
        if (ring == null) {
            // from now on the summary thread writes some of this thread's records on its own
            // thread: the ones this thread handed to the queue's writer thread go first
            writer.flushOwn();
            ring =
                    st.ring =
                            summaries.register(
                                    new CaptureRing(
                                            config.captureSlots,
                                            config.stageBytes,
                                            Thread.currentThread()));
        }
        CaptureRing.Slot slot = ring.claim();
        if (slot == null) {
            // the summary thread is far behind (the ring, at its most slots, is full): this thread
            // writes its own oldest waiting record, so that this one still follows it (one
            // record's work, not the ring's)
            counters.recordsWrittenInline.increment();
            summaries.drain(ring, st.summaries, 1);
            slot = ring.claim();
        }
        return slot;
    }

    /**
     * Copies the inference's tensors into {@code slot} and hands it to the summary thread; false if
     * they did not fit (the record, already described, is then summarised here, after this thread's
     * waiting records).
     */
    private boolean stage(
            RuntimeAdapter adapter,
            Object target,
            Object input,
            Object result,
            ThreadState st,
            CaptureRing.Slot slot)
            throws Throwable {
        Summaries summaries = st.summaries;
        CaptureRing ring = st.ring;
        long end = -1;
        // a second try when the first did not fit into an arena below its limit: it grows at once,
        // the captures waiting keeping the buffer they were copied into
        for (int attempt = 0; attempt < 2 && end < 0; attempt++) {
            if (attempt > 0 && !ring.arena.growsNext()) {
                break;
            }
            slot.begin(ring.arena);
            summaries.resetElements();
            summaries.stageInto(ring);
            try {
                // the record's summaries are left alone: the tensors go into the slot
                adapter.summarizeInference(target, input, result, st.record, summaries);
            } finally {
                summaries.stageInto(null);
                end = slot.end();
            }
        }
        SummaryThread thread = summaryThread;
        if (end < 0) {
            slot.clear();
            thread.drain(ring, summaries);
            return false;
        }
        slot.arenaEnd = end;
        slot.takeHeader(st.record);
        ring.publish(); // counted there (AgentCounters.capturesDeferred)
        if (!thread.running()) {
            // stopped meanwhile (the JVM is exiting): its last round may have missed this one
            thread.drain(ring, summaries);
        }
        return true;
    }

    @Override
    public long enterModelLoad(int runtime) {
        try {
            ThreadState st = state.get();
            if (st.modelLoadDepth++ > 0) {
                return 0;
            }
            return System.nanoTime();
        } catch (Throwable t) {
            counters.internalErrors.increment();
            return 0;
        }
    }

    @Override
    public void exitModelLoad(
            int runtime,
            long token,
            Object model,
            Object source,
            Object options,
            Throwable thrown) {
        try {
            ThreadState st = state.get();
            if (st.modelLoadDepth > 0) {
                st.modelLoadDepth--;
            }
            if (token == 0 || st.modelLoadDepth != 0) {
                return;
            }
            RuntimeAdapter adapter = adapter(runtime);
            if (adapter == null) {
                return;
            }
            long took = System.nanoTime() - token;
            ModelLoadRecord r = new ModelLoadRecord();
            r.loadNanos = took;
            r.timestampMillis = System.currentTimeMillis() - took / 1_000_000;
            r.agentId = config.agentId();
            r.runtime = adapter.runtimeName();
            if (thrown != null) {
                r.outcome = Outcome.ERROR;
                r.errorType = thrown.getClass().getName();
            }
            if (st.ring != null) {
                // this thread's captured inferences were served before this load
                summaryThread.drain(st.ring, st.summaries);
            }
            ModelIdentity id = adapter.describeModelLoad(model, source, options, r);
            if (model != null && id != null) {
                models.register(model, id);
                Object key = adapter.modelKey(model);
                if (key != null && key != model) {
                    models.register(key, id);
                }
            }
            writer.write(r);
        } catch (Throwable t) {
            internalError("model load", t);
        }
    }

    /**
     * Summarises and writes every captured inference still waiting, on the calling thread, and
     * stops the summary thread: at exit, before the queue's own flush. Inferences captured later
     * are summarised on their threads.
     */
    public void flushAtExit() {
        SummaryThread t = summaryThread;
        if (t != null) {
            t.stop();
            t.drainAll(newSummaries());
        }
    }

    /**
     * Summarises and writes every captured inference waiting for the summary thread now, on the
     * calling thread (not inside an inference); for tests and benchmarks that read the queue.
     */
    public void flush() {
        SummaryThread t = summaryThread;
        if (t != null) {
            t.drainAll(state.get().summaries);
        }
    }

    /**
     * Work to do once, before the first request this agent sees is served (any request that comes
     * meanwhile waits for it): what only matters inside requests need not cost the start.
     */
    public void beforeFirstRequest(Runnable task) {
        beforeFirstRequest = task;
    }

    private void firstRequest() {
        synchronized (firstRequestLock) {
            Runnable task = beforeFirstRequest;
            if (task != null) {
                try {
                    task.run();
                } finally {
                    beforeFirstRequest = null;
                }
            }
        }
    }

    @Override
    public void enterRequest(int server, Object request) {
        try {
            if (beforeFirstRequest != null) {
                firstRequest();
            }
            requests.enter(server, request, null);
        } catch (Throwable t) {
            counters.internalErrors.increment();
        }
    }

    @Override
    public boolean enterMessage(int server, Object message, Object connection) {
        try {
            boolean entered = requests.enterMessage(server, message, connection);
            if (entered && beforeFirstRequest != null) {
                firstRequest();
            }
            return entered;
        } catch (Throwable t) {
            counters.internalErrors.increment();
            return false;
        }
    }

    @Override
    public void exitRequest(int server) {
        try {
            requests.exit(server);
        } catch (Throwable t) {
            counters.internalErrors.increment();
        }
    }

    @Override
    public Object captureContext() {
        try {
            return requests.current();
        } catch (Throwable t) {
            internalError("request handoff", t);
            return null;
        }
    }

    @Override
    public Object attachContext(Object context) {
        try {
            return requests.attach(
                    context instanceof RequestContext ? (RequestContext) context : null);
        } catch (Throwable t) {
            counters.internalErrors.increment();
            return null;
        }
    }

    @Override
    public void detachContext(Object previous) {
        try {
            requests.detach(previous instanceof RequestContext ? (RequestContext) previous : null);
        } catch (Throwable t) {
            counters.internalErrors.increment();
        }
    }

    /**
     * Writes an inference record of this thread. Once the thread has handed captures to the summary
     * thread, which writes them itself on its own thread, this one must not be handed to the
     * queue's writer thread, or it could overtake them ({@link QueueWriter#writeNow}).
     */
    private void write(ThreadState st, InferenceRecord r) {
        if (st.ring != null) {
            writer.writeNow(r);
        } else {
            writer.write(r);
        }
    }

    /** A trace that cannot be read costs the record its trace ids, never the record. */
    private void describeTrace(InferenceRecord r) {
        try {
            trace.describe(r);
            if (pseudonyms != null
                    && r.clientIdSource == ClientIdSource.OPENTELEMETRY
                    && r.clientId != null
                    && !r.clientId.startsWith(ClientIdPseudonymiser.PREFIX)) {
                // an identity from the server span is as raw as one from a header
                r.clientId = pseudonyms.pseudonym(r.clientId);
            }
        } catch (Throwable t) {
            internalError("trace context", t);
        }
    }

    private RuntimeAdapter adapter(int runtime) {
        return runtime >= 0 && runtime < runtimes.length ? runtimes[runtime] : null;
    }

    private void internalError(String where, Throwable t) {
        counters.internalErrors.increment();
        AgentLog.once(
                "error-" + where + "-" + t.getClass().getName(),
                "internal error while recording a "
                        + where
                        + " (counted, the application is not affected): "
                        + t);
        if (AgentLog.debugEnabled()) {
            t.printStackTrace();
        }
    }
}
