package io.mlguard.instrumentation.http;

/** Classes for {@link AttachWeavingTest} to hook; each loads only when the test asks. */
public final class AttachProbe {
    private AttachProbe() {}

    /** Loaded before the attach: woven by retransformation. */
    public static final class Earlier {
        public Object serve(Object request) {
            return "earlier " + request;
        }
    }

    /** Loaded after the attach: woven as it loads. */
    public static final class Later {
        public Object serve(Object request) {
            return "later " + request;
        }
    }

    /** Loaded by an ignored loader before and after the attach, and by the test's loader after. */
    public static final class Kept {
        public Object serve(Object request) {
            return "kept " + request;
        }
    }
}
