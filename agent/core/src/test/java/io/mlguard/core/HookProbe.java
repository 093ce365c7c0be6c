package io.mlguard.core;

import java.util.Map;

/** Classes for {@link HookWeaverTest} to weave; public for code woven in another loader. */
public final class HookProbe {
    private HookProbe() {}

    /**
     * A model-runtime-like class: loops, handlers and throws, so the woven frames are exercised.
     */
    public static final class Session {
        private final Object outputs;

        public Session(Object outputs) {
            this.outputs = outputs;
        }

        public Object run(Map<String, Object> inputs) {
            if (inputs.containsKey("fail")) {
                throw new IllegalArgumentException("bad input");
            }
            int sum = 0;
            for (Object v : inputs.values()) {
                try {
                    sum += Integer.parseInt(String.valueOf(v));
                } catch (NumberFormatException e) {
                    sum -= 1;
                }
            }
            if (sum > 100) {
                return "big " + sum;
            }
            return "sum " + sum;
        }

        public long count(Map<String, Object> inputs) {
            return inputs.size();
        }

        public Object fetch() {
            return "fetched";
        }

        public static Session load(String path, int threads, long bytes, double ratio) {
            if (path.isEmpty()) {
                throw new IllegalStateException("no path");
            }
            return new Session(java.util.List.of(path));
        }

        public void serve(Object request) {
            if (request == null) {
                throw new NullPointerException("no request");
            }
        }

        public Object unhooked() {
            return outputs;
        }
    }
}
