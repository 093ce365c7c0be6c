package io.mlguard.collector.detect.stats;

/** The standard normal distribution: CDF and quantile function, accurate to about 1e-9. */
public final class Normal {
    private Normal() {}

    /** P(Z <= z). */
    public static double cdf(double z) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** P(Z > z), accurate in the far upper tail where {@code 1 - cdf(z)} would cancel. */
    public static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    /** The z with {@code cdf(z) == p}; infinite at 0 and 1. */
    public static double quantile(double p) {
        if (Double.isNaN(p) || p < 0 || p > 1) {
            throw new IllegalArgumentException("probability out of [0, 1]: " + p);
        }
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double x = acklam(p);
        // One Halley step on the exact CDF brings Acklam's 1e-9 relative error to double precision.
        double e = cdf(x) - p;
        double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    // Acklam's rational approximation of the normal quantile. Constants, not locals: the drift
    // detector calls this for every value of every watched statistic.
    private static final double[] A = {
        -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
    };
    private static final double[] B = {
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01
    };
    private static final double[] C = {
        -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
    };
    private static final double[] D = {
        7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };

    private static double acklam(double p) {
        final double[] a = A;
        final double[] b = B;
        final double[] c = C;
        final double[] d = D;
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }

    /** The complementary error function, by a Chebyshev fit (Numerical Recipes 3rd ed., 6.2.2). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 2.0 / (2.0 + z);
        double ty = 4.0 * t - 2.0;
        double d = 0.0;
        double dd = 0.0;
        for (int j = ERFC_COF.length - 1; j > 0; j--) {
            double tmp = d;
            d = ty * d - dd + ERFC_COF[j];
            dd = tmp;
        }
        double r = t * Math.exp(-z * z + 0.5 * (ERFC_COF[0] + ty * d) - dd);
        return x >= 0 ? r : 2.0 - r;
    }

    // Numerical Recipes 3rd ed., Erf::erfccheb coefficients (relative error < 1.2e-16 claimed).
    private static final double[] ERFC_COF = {
        -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2,
        -9.561514786808631e-3, -9.46595344482036e-4, 3.66839497852761e-4,
        4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6,
        1.303655835580e-6, 1.5626441722e-8, -8.5238095915e-8,
        6.529054439e-9, 5.059343495e-9, -9.91364156e-10,
        -2.27365122e-10, 9.6467911e-11, 2.394038e-12,
        -6.886027e-12, 8.94487e-13, 3.13092e-13,
        -1.12708e-13, 3.81e-16, 7.106e-15,
        -1.523e-15, -9.4e-17, 1.21e-16,
        -2.8e-17
    };
}
