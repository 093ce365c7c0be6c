package io.mlguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How attaching retransforms the hooked classes already loaded: in batches, a refused one alone.
 */
class LoadedClassWeaverTest {
    /** Twenty distinct classes to hand over. */
    private static List<Class<?>> classes() {
        List<Class<?>> all =
                new ArrayList<>(
                        List.of(
                                String.class,
                                Integer.class,
                                Long.class,
                                Short.class,
                                Byte.class,
                                Double.class,
                                Float.class,
                                Character.class,
                                Boolean.class,
                                Object.class,
                                Number.class,
                                Thread.class,
                                Runnable.class,
                                List.class,
                                ArrayList.class,
                                Arrays.class,
                                Math.class,
                                StringBuilder.class,
                                Iterable.class,
                                Comparable.class));
        assertThat(all).doesNotHaveDuplicates().hasSize(20);
        return all;
    }

    @Test
    void classesAreRetransformedInBatchesOfAtMostEight() {
        List<List<Class<?>>> calls = new ArrayList<>();
        AgentCounters counters = new AgentCounters();
        int[] result =
                LoadedClassWeaver.retransformInBatches(
                        classes(), c -> calls.add(List.of(c)), counters);
        assertThat(calls).extracting(List::size).containsExactly(8, 8, 4);
        assertThat(calls.stream().flatMap(List::stream)).containsExactlyElementsOf(classes());
        assertThat(result).containsExactly(3, 0);
        assertThat(counters.internalErrors.sum()).isZero();
    }

    @Test
    void aRefusedClassFailsItsBatchWhoseOtherClassesAreThenRetransformedOneByOne() {
        List<List<Class<?>>> calls = new ArrayList<>();
        AgentCounters counters = new AgentCounters();
        int[] result =
                LoadedClassWeaver.retransformInBatches(
                        classes(),
                        c -> {
                            calls.add(List.of(c));
                            if (Arrays.asList(c).contains(Thread.class)) {
                                throw new UnmodifiableClassException("refused");
                            }
                        },
                        counters);
        // Thread is the twelfth class: the second batch fails, then goes class by class
        assertThat(calls).extracting(List::size).containsExactly(8, 8, 1, 1, 1, 1, 1, 1, 1, 1, 4);
        assertThat(calls.subList(2, 10))
                .extracting(l -> (Object) l.get(0))
                .containsExactlyElementsOf(new ArrayList<Object>(classes().subList(8, 16)));
        assertThat(result).containsExactly(3, 1);
        assertThat(counters.internalErrors.sum()).isEqualTo(1);
    }

    @Test
    void nothingLoadedIsNoCall() {
        List<Object> calls = new ArrayList<>();
        int[] result =
                LoadedClassWeaver.retransformInBatches(
                        List.of(), c -> calls.add(c), new AgentCounters());
        assertThat(calls).isEmpty();
        assertThat(result).containsExactly(0, 0);
    }
}
