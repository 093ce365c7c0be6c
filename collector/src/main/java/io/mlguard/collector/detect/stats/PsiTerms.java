package io.mlguard.collector.detect.stats;

import java.util.Arrays;

/**
 * The PSI of a sliding window's bin counts against fixed expected shares, exactly as {@link
 * Divergences#psi} computes it (the same terms, summed in the same order), where a bin's term is
 * computed again only when its count or the total changed: a window that moves by one value changes
 * two bins, not all of them.
 */
public final class PsiTerms {
    private final double[] expectedShares;
    private final double[] terms;
    private final double[] termCounts;
    private double termTotal = -1;

    /**
     * @param expectedShares the reference's shares as {@link Divergences#psiShares} gives them
     */
    public PsiTerms(double[] expectedShares) {
        this.expectedShares = expectedShares;
        this.terms = new double[expectedShares.length];
        this.termCounts = new double[expectedShares.length];
    }

    /**
     * The PSI of {@code counts} (at least as many bins as the expected shares) whose sum is {@code
     * total}, positive and finite; {@link Divergences#psi} answers the other cases.
     */
    public double psi(double[] counts, double total) {
        if (total != termTotal) {
            termTotal = total;
            Arrays.fill(termCounts, -1);
        }
        double sum = 0;
        for (int i = 0; i < expectedShares.length; i++) {
            double c = counts[i];
            if (c != termCounts[i]) {
                termCounts[i] = c;
                terms[i] =
                        Divergences.psiTerm(
                                Math.max(c / total, Divergences.EPSILON), expectedShares[i]);
            }
            sum += terms[i];
        }
        return sum;
    }
}
