/*
 * mlguard's JNI shim for the queue's mapped file: advises the kernel that a mapping of it is read at
 * random (madvise MADV_RANDOM), so that a page fault in it reads that one page, not read_ahead_kb
 * of the disk around it. The queue's file is sparse; on a disk set to read ahead megabytes each
 * fault otherwise zeroes that much page cache at once, holding a core for milliseconds
 * (QueuePretoucher, ReadAhead). Nothing in the JDK or Chronicle can give this advice.
 */
#include <errno.h>
#include <jni.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* Advises MADV_RANDOM for the pages from address (rounded down to a page) to address + length.
 * Returns 0, or the errno madvise failed with (EINVAL for a range that is not mapped as a whole,
 * ENOMEM for one that is not mapped at all). */
JNIEXPORT jint JNICALL Java_io_mlguard_core_queue_QueueNative_adviseRandom(JNIEnv *env, jclass cls,
                                                                           jlong address,
                                                                           jlong length) {
    (void)env;
    (void)cls;
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0 || address <= 0 || length <= 0) {
        return EINVAL;
    }
    uintptr_t from = (uintptr_t)address & ~((uintptr_t)page - 1);
    size_t span = (size_t)((uintptr_t)address + (uintptr_t)length - from);
    return madvise((void *)from, span, MADV_RANDOM) == 0 ? 0 : errno;
}
