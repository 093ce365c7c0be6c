package io.mlguard.demo.traffic.drift;

import io.mlguard.demo.data.CreditData;
import io.mlguard.demo.model.CreditModels;
import java.util.SplittableRandom;

/**
 * Held-out credit applicants whose amounts grow and whose applicants get younger: by the last
 * request {@code credit_amount} is doubled and {@code age} is ten years lower (never under 18).
 */
public final class CreditDrift implements DriftSource {
    /** Factor on credit_amount at the end of the run. */
    public static final double AMOUNT_FACTOR = 2.0;

    /** Years taken off age at the end of the run. */
    public static final double AGE_SHIFT = 10;

    private final CreditFeatures features;
    private final CreditData data;
    private final int amount;
    private final int age;

    /** Applicants of {@code data}, encoded as {@code features} says. */
    public CreditDrift(CreditFeatures features, CreditData data) {
        this.features = features;
        this.data = data;
        this.amount = features.column("credit_amount");
        this.age = features.column("age");
    }

    @Override
    public String model() {
        return CreditModels.NAME;
    }

    @Override
    public Sample sample(int i, int count, SplittableRandom random) {
        CreditData.Table table = data.heldOut();
        int k = random.nextInt(table.size());
        float[] x = features.encode(data.features(), table.rows().get(k));
        double f = DriftSource.progress(i, count);
        x[amount] = (float) (x[amount] * (1 + (AMOUNT_FACTOR - 1) * f));
        x[age] = (float) Math.max(18, x[age] - AGE_SHIFT * f);
        return new Sample(x, table.labels()[k]);
    }

    /** The column of credit_amount in the input. */
    public int amountColumn() {
        return amount;
    }

    /** The column of age in the input. */
    public int ageColumn() {
        return age;
    }
}
