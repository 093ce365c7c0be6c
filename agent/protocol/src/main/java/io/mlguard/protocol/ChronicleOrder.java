package io.mlguard.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Views of a byte array as the numbers Chronicle's bytes hold: in the platform's byte order, which
 * Chronicle writes and its own reads assume. For the code that reads or writes record bytes in an
 * array instead of through Chronicle ({@link BodyCopyReader}, {@link RecordEncoder}).
 */
final class ChronicleOrder {
    static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private ChronicleOrder() {}
}
