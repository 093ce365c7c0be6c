package io.mlguard.collector.explain;

/**
 * The MITRE ATLAS techniques mlguard's incident types map to: the one table of ids in the code.
 *
 * <p>Source: MITRE ATLAS data, {@code dist/ATLAS.yaml} of github.com/mitre-atlas/atlas-data (ATLAS
 * data version 5.6.0, commit 8ee2c689, May 2026). Each id and name below was checked against that
 * file; ATLAS renames techniques now and then ("ML" became "AI"), ids stay.
 */
public enum AtlasTechnique {
    CRAFT_ADVERSARIAL_DATA("AML.T0043", "Craft Adversarial Data"),
    BLACK_BOX_OPTIMIZATION("AML.T0043.001", "Craft Adversarial Data: Black-Box Optimization"),
    INFERENCE_API_ACCESS("AML.T0040", "AI Model Inference API Access"),
    EXFILTRATION_VIA_INFERENCE_API("AML.T0024", "Exfiltration via AI Inference API"),
    EXTRACT_MODEL("AML.T0024.002", "Exfiltration via AI Inference API: Extract AI Model"),
    SUPPLY_CHAIN_COMPROMISE("AML.T0010", "AI Supply Chain Compromise"),
    SUPPLY_CHAIN_MODEL("AML.T0010.003", "AI Supply Chain Compromise: Model"),
    MANIPULATE_MODEL("AML.T0018", "Manipulate AI Model"),
    POISON_TRAINING_DATA("AML.T0020", "Poison Training Data"),
    ERODE_MODEL_INTEGRITY("AML.T0031", "Erode AI Model Integrity"),
    DENIAL_OF_SERVICE("AML.T0029", "Denial of AI Service"),
    EVADE_MODEL("AML.T0015", "Evade AI Model");

    private final String id;
    private final String title;

    AtlasTechnique(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** The ATLAS id, e.g. {@code AML.T0024.002}. */
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** The technique with this ATLAS id; throws {@link IllegalArgumentException} if unlisted. */
    public static AtlasTechnique ofId(String id) {
        for (AtlasTechnique t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("ATLAS technique id not in mlguard's table: " + id);
    }
}
