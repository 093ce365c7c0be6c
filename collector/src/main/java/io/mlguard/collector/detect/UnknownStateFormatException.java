package io.mlguard.collector.detect;

/**
 * A checkpointed state in a form this collector does not read: most likely written by a newer
 * collector (a new layout, a higher version, a field it does not know). Unlike a damaged state,
 * which a detector may drop and learn again, such a state must not be restored as far as it is
 * understood (that silently drops the rest) nor dropped: the next commit would overwrite what the
 * newer collector wrote. The store refuses to start on it, with this message.
 */
public final class UnknownStateFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownStateFormatException(String message) {
        super(message);
    }
}
