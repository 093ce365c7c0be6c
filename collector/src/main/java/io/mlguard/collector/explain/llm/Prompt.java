package io.mlguard.collector.explain.llm;

/** One request to the LLM: the fixed system instructions and the masked data. */
public record Prompt(String system, String user, Masker masker) {}
