package io.mlguard.collector.explain.llm;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.mlguard.collector.explain.DeterministicExplainer;
import io.mlguard.collector.explain.Explainer;
import io.mlguard.collector.explain.Explanation;
import io.mlguard.collector.explain.IncidentFacts;
import io.mlguard.collector.incident.Incident;
import java.net.http.HttpTimeoutException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explains an incident with an LLM: masked facts and similar past incidents in, a schema-bound
 * answer out, checked by {@link AnswerValidator}. It never fails: a timeout, an error or a rejected
 * answer yields the deterministic explanation with the reason in {@code fallbackReason}. It blocks
 * for the LLM's answer, so run it off the ingest thread ({@link AsyncExplainer}).
 */
public final class LlmExplainer implements Explainer {
    private static final Logger LOG = LoggerFactory.getLogger(LlmExplainer.class);

    private final ChatModel model;
    private final LlmSettings settings;
    private final PromptBuilder prompts;
    private final DeterministicExplainer fallback = new DeterministicExplainer();
    private final IncidentMemory memory;

    /** {@code memory} may be {@code null}: no retrieval then. */
    public LlmExplainer(ChatModel model, LlmSettings settings, IncidentMemory memory) {
        this.model = model;
        this.settings = settings;
        this.prompts = new PromptBuilder(settings.disclose());
        this.memory = memory;
    }

    @Override
    public Explanation explain(Incident incident) {
        return explain(IncidentFacts.of(incident));
    }

    public Explanation explain(IncidentFacts f) {
        Explanation deterministic = fallback.explain(f);
        Explanation result;
        try {
            result = askLlm(f);
        } catch (AnswerValidator.Rejected e) {
            result = deterministic.withFallbackReason(e.getMessage());
        } catch (RuntimeException e) {
            result = deterministic.withFallbackReason("LLM explainer failed: " + e);
        }
        if (result.fallbackReason() != null) {
            LOG.info(
                    "incident {}: deterministic explanation used: {}",
                    f.id(),
                    result.fallbackReason());
        }
        if (memory != null) {
            memory.remember(f, result);
        }
        return result;
    }

    private Explanation askLlm(IncidentFacts f) throws AnswerValidator.Rejected {
        List<PastIncident> past =
                memory == null || settings.retrievalK() == 0
                        ? List.of()
                        : memory.similar(f, settings.retrievalK());
        Prompt prompt = prompts.build(f, past);
        ChatRequest request =
                ChatRequest.builder()
                        .messages(
                                SystemMessage.from(prompt.system()),
                                UserMessage.from(prompt.user()))
                        .responseFormat(AnswerSchema.responseFormat(settings.strictSchema()))
                        .build();
        String failure = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            ChatResponse response;
            try {
                response = model.chat(request);
            } catch (RuntimeException e) {
                failure = describe(e);
                LOG.debug("LLM attempt {} failed: {}", attempt, failure);
                continue;
            }
            String text = response.aiMessage() == null ? null : response.aiMessage().text();
            // A bad answer is not retried: the same prompt tends to give the same kind of answer.
            return AnswerValidator.validate(text, f, prompt.masker(), "llm:" + settings.model());
        }
        throw new AnswerValidator.Rejected(
                "LLM unavailable after " + settings.maxAttempts() + " attempts: " + failure);
    }

    /** A short reason: a timeout is named as such; otherwise the first line of the error. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return "timeout";
            }
        }
        String m = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
        return e.getClass().getSimpleName() + ": " + (m.length() > 200 ? m.substring(0, 200) : m);
    }
}
