package io.mlguard.collector.detect.stats;

/**
 * A two-sided CUSUM on standardised observations (mean 0, variance 1 while nothing changed), with
 * its threshold derived from the wanted in-control average run length ARL0: the expected number of
 * observations between false alarms.
 *
 * <p>The upper statistic is {@code S+ = max(0, S+ + z - k)}, the lower {@code S- = max(0, S- - z -
 * k)}; an alarm is {@code S+ > h} or {@code S- > h}, after which both restart at 0. The reference
 * {@code k} is half the shift (in standard deviations) the chart is tuned to catch fastest.
 *
 * <p><b>Threshold from ARL0.</b> Siegmund's approximation gives the run length of a one-sided CUSUM
 * on N(μ, 1) data as {@code ARL(Δ) ≈ (exp(-2Δb) + 2Δb - 1) / (2Δ²)} with {@code Δ = μ - k} and
 * {@code b = h + 1.166} (the constant corrects for the overshoot of the boundary). In control, μ =
 * 0, so {@code ARL0,one-sided ≈ (exp(2kb) - 2kb - 1) / (2k²)}. The two sides alarm independently,
 * so their rates add: {@code 1/ARL0 = 2 / ARL0,one-sided}. {@link #thresholdFor} solves that for h
 * by bisection. Example: k = 0.5 and ARL0 = 100,000 give h ≈ 10.3, and a 1-sigma shift is then
 * caught after about 21 observations on average.
 *
 * <p><b>An estimated reference.</b> When the standardisation comes from a finite reference sample
 * of m values, the in-control mean is not exactly 0 but off by about 1/√m (the error of a mean of m
 * normal scores), for as long as that reference is used. {@link #thresholdFor(double, double,
 * double)} takes that error as a margin δ and keeps ARL0 at both μ = +δ and μ = -δ, so the target
 * still holds when the reference is off by δ: with k = 0.5, ARL0 = 7,000,000 and δ = 2/√1000 (a
 * reference of 1,000 records, two standard errors), h goes from 14.6 to 15.6.
 */
public final class Cusum {
    private static final double OVERSHOOT = 1.166;

    private final double k;
    private final double h;
    private double upper;
    private double lower;
    private long observations;
    private long alarms;

    /**
     * @param k the reference value (half the shift to detect, in standard deviations)
     * @param arl0 the wanted mean number of in-control observations between false alarms
     */
    public Cusum(double k, double arl0) {
        this(k, arl0, 0);
    }

    /**
     * As {@link #Cusum(double, double)}, keeping ARL0 even when the in-control mean is off by up to
     * {@code meanError} (see {@link #thresholdFor(double, double, double)}).
     */
    public Cusum(double k, double arl0, double meanError) {
        this.k = k;
        this.h = thresholdFor(k, arl0, meanError);
    }

    /** The two-sided threshold h for reference k and in-control run length {@code arl0}. */
    public static double thresholdFor(double k, double arl0) {
        return thresholdFor(k, arl0, 0);
    }

    /**
     * The smallest two-sided threshold whose run length is at least {@code arl0} when the
     * in-control mean is anywhere in {@code [-meanError, meanError]} (the run length is shortest at
     * either end, and the chart is symmetric, so checking {@code +meanError} suffices).
     */
    public static double thresholdFor(double k, double arl0, double meanError) {
        if (!(k > 0) || !(arl0 > 1) || !(meanError >= 0) || !(meanError < k)) {
            throw new IllegalArgumentException("need k > 0, arl0 > 1 and 0 <= meanError < k");
        }
        double lo = 0;
        double hi = 200;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (twoSidedArl(k, mid, meanError) < arl0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** Siegmund's approximate run length of the two-sided chart when the mean is {@code mu}. */
    public static double twoSidedArl(double k, double h, double mu) {
        double up = oneSidedArl(mu - k, h + OVERSHOOT);
        double down = oneSidedArl(-mu - k, h + OVERSHOOT);
        return 1 / (1 / up + 1 / down);
    }

    private static double oneSidedArl(double delta, double b) {
        if (Math.abs(delta) < 1e-9) {
            return b * b;
        }
        return (Math.exp(-2 * delta * b) + 2 * delta * b - 1) / (2 * delta * delta);
    }

    /**
     * Adds one standardised observation; returns +1 for an upward alarm, -1 for a downward one, 0
     * otherwise. Non-finite values are ignored.
     */
    public int add(double z) {
        return add(z, 1.0);
    }

    /**
     * As {@link #add(double)}, against the threshold {@code h × thresholdScale}: operators'
     * feedback can raise the threshold of a chart that alarmed on benign changes ({@code
     * thresholdScale ≥ 1}).
     */
    public int add(double z, double thresholdScale) {
        if (!Double.isFinite(z)) {
            return 0;
        }
        observations++;
        upper = Math.max(0, upper + z - k);
        lower = Math.max(0, lower - z - k);
        double limit = h * thresholdScale;
        int alarm = upper > limit ? 1 : lower > limit ? -1 : 0;
        if (alarm != 0) {
            alarms++;
            upper = 0;
            lower = 0;
        }
        return alarm;
    }

    /** Sets the running state one saved from {@link #upper()}, {@link #lower()} and the counts. */
    public void restore(double upper, double lower, long observations, long alarms) {
        if (!(upper >= 0) || !(lower >= 0) || observations < 0 || alarms < 0) {
            throw new IllegalArgumentException("invalid CUSUM state");
        }
        this.upper = upper;
        this.lower = lower;
        this.observations = observations;
        this.alarms = alarms;
    }

    public double threshold() {
        return h;
    }

    public double upper() {
        return upper;
    }

    public double lower() {
        return lower;
    }

    public long observations() {
        return observations;
    }

    public long alarms() {
        return alarms;
    }
}
