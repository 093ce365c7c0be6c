/*
 * mlguard's JNI shim for ONNX Runtime tensors: points a reusable direct ByteBuffer at a tensor's
 * native data, where ONNX Runtime's Java API makes a new ByteBuffer per read (OnnxTensor.getBuffer,
 * a NewDirectByteBuffer per call). It lets the agent summarise an output without allocating.
 *
 * ONNX Runtime is not linked: the Java side passes OnnxRuntime.ortApiHandle, the OrtApi function
 * table, and the tensor's OrtValue handle. OrtApi's order is part of ONNX Runtime's ABI (entries
 * are only ever appended), so an entry's index is the same in every 1.x release:
 * GetTensorMutableData is entry 51 and ReleaseStatus entry 93 (libonnxruntime4j_jni.so 1.29.0
 * calls them at offsets 0x198 and 0x2e8). The Java side still checks the first addresses against
 * ONNX Runtime's own getBuffer() before it relies on them.
 */
#include <jni.h>
#include <stdint.h>

#define ORT_GET_TENSOR_MUTABLE_DATA 51
#define ORT_RELEASE_STATUS 93

typedef void *(*get_tensor_mutable_data_fn)(void *value, void **out);
typedef void (*release_status_fn)(void *status);

static jfieldID buffer_address; /* java.nio.Buffer.address: a long, not final on JDK 17 to 25 */
static char parked;             /* where a new view points; never read (the Java side limits it to 0) */

#define NATIVE(type, name) \
    JNIEXPORT type JNICALL Java_io_mlguard_instrumentation_onnxruntime_OrtNative_##name

/* A direct ByteBuffer for point() to retarget, of capacity Integer.MAX_VALUE (set once: capacity is
 * final on newer JDKs); null if this JDK's Buffer has no address field. */
NATIVE(jobject, newView)(JNIEnv *env, jclass cls) {
    (void)cls;
    if (buffer_address == NULL) {
        jclass buffer = (*env)->FindClass(env, "java/nio/Buffer");
        jfieldID address = buffer == NULL ? NULL : (*env)->GetFieldID(env, buffer, "address", "J");
        if (address == NULL) {
            (*env)->ExceptionClear(env);
            return NULL;
        }
        buffer_address = address;
    }
    return (*env)->NewDirectByteBuffer(env, &parked, (jlong)INT32_MAX);
}

/* The address of the data of the tensor value (an OrtValue), or NULL if ONNX Runtime gave an
 * error or no data. */
static void *tensor_data(jlong api, jlong value) {
    void **table = (void **)(intptr_t)api;
    if (table == NULL || value == 0) {
        return NULL;
    }
    void *data = NULL;
    void *status = ((get_tensor_mutable_data_fn)table[ORT_GET_TENSOR_MUTABLE_DATA])(
            (void *)(intptr_t)value, &data);
    if (status != NULL) {
        ((release_status_fn)table[ORT_RELEASE_STATUS])(status);
        return NULL;
    }
    return data;
}

/* The address of the data of the tensor value, or 0. Calls back into the JVM for nothing: the Java
 * side points its view there itself (Buffer.address through a VarHandle), so a read costs one
 * transition into native code and back, where point() adds three JNI calls, each a transition into
 * the VM and back. */
NATIVE(jlong, data)(JNIEnv *env, jclass cls, jlong api, jlong value) {
    (void)env;
    (void)cls;
    return (jlong)(intptr_t)tensor_data(api, value);
}

/* Points view at the data of the tensor value (an OrtValue); returns the address, or 0 if ONNX
 * Runtime gave an error or no data, in which case the view is left as it was. For a JDK where the
 * Java side cannot set Buffer.address itself. */
NATIVE(jlong, point)(JNIEnv *env, jclass cls, jobject view, jlong api, jlong value) {
    (void)cls;
    if (view == NULL || buffer_address == NULL) {
        return 0;
    }
    void *data = tensor_data(api, value);
    if (data == NULL) {
        return 0;
    }
    (*env)->SetLongField(env, view, buffer_address, (jlong)(intptr_t)data);
    /* a JDK whose buffers no longer read their memory through Buffer.address: not used */
    if ((*env)->GetDirectBufferAddress(env, view) != data) {
        return 0;
    }
    return (jlong)(intptr_t)data;
}

/* The address of a direct buffer (0 for any other), to check point() against ONNX Runtime's own
 * views. */
NATIVE(jlong, address)(JNIEnv *env, jclass cls, jobject buffer) {
    (void)cls;
    return (jlong)(intptr_t)(*env)->GetDirectBufferAddress(env, buffer);
}
