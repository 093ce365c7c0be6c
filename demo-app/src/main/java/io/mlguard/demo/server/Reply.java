package io.mlguard.demo.server;

/**
 * An HTTP status and the object Jackson serializes as the body.
 *
 * @param status HTTP status code
 * @param body the JSON body
 */
record Reply(int status, Object body) {
    static Reply ok(Object body) {
        return new Reply(200, body);
    }

    static Reply error(int status, String message) {
        return new Reply(status, new Messages.Error(message));
    }
}
