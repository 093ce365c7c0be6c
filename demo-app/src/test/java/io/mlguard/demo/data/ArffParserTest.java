package io.mlguard.demo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArffParserTest {
    private static final String SNIPPET =
            String.join(
                    "\n",
                    "% a comment",
                    "@RELATION 'tiny loans'",
                    "",
                    "@attribute 'checking status' { '<0', '0<=X<200', 'no checking'}",
                    "@attribute amount real",
                    "@attribute purpose {'new car', radio/tv, \"it's\\\\ odd\"}",
                    "@attribute age INTEGER",
                    "@attribute class {good,bad}",
                    "@data",
                    "'<0', 1169 ,radio/tv,67,good",
                    "% comments may sit among the rows",
                    "'no checking',?,'new car',?,bad",
                    "?,2.5e3,\"it's\\\\ odd\",22,good",
                    "'0<=X<200',-4,'new car',35,'bad'");

    @Test
    void readsNominalNumericQuotedAndMissingValues() throws Exception {
        ArffData data = ArffParser.parse(new StringReader(SNIPPET));
        assertThat(data.relation()).isEqualTo("tiny loans");
        assertThat(data.attributes())
                .extracting(ArffAttribute::name)
                .containsExactly("checking status", "amount", "purpose", "age", "class");
        assertThat(data.attributes().get(0).values())
                .containsExactly("<0", "0<=X<200", "no checking");
        assertThat(data.attributes().get(1).nominal()).isFalse();
        assertThat(data.attributes().get(2).values())
                .containsExactly("new car", "radio/tv", "it's\\ odd");
        List<double[]> rows = data.rows();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).containsExactly(0, 1169, 1, 67, 0);
        assertThat(rows.get(1)[0]).isEqualTo(2);
        assertThat(rows.get(1)[1]).isNaN();
        assertThat(rows.get(1)[3]).isNaN();
        assertThat(rows.get(2)[0]).isNaN();
        assertThat(rows.get(2)[1]).isEqualTo(2500);
        assertThat(rows.get(2)[2]).isEqualTo(2);
        assertThat(rows.get(3)).containsExactly(1, -4, 0, 35, 1);
        assertThat(data.attributeIndex("age")).isEqualTo(3);
    }

    @Test
    void badInputIsRejectedWithTheLine() {
        assertThatThrownBy(() -> parse("@attribute a real\n@data\n1,2"))
                .hasMessageContaining("ARFF line 3")
                .hasMessageContaining("2 values for 1 attributes");
        assertThatThrownBy(() -> parse("@attribute c {x,y}\n@data\nz"))
                .hasMessageContaining("'z' is not a value of c");
        assertThatThrownBy(() -> parse("@attribute a real\n@data\nabc"))
                .hasMessageContaining("'abc' is not a number for a");
        assertThatThrownBy(() -> parse("@attribute s string\n@data\n"))
                .hasMessageContaining("unsupported type 'string'");
        assertThatThrownBy(() -> parse("@attribute c {'x,y}\n@data\n"))
                .hasMessageContaining("unclosed");
        assertThatThrownBy(() -> parse("@attribute a real\n@data\n{0 1}"))
                .hasMessageContaining("sparse");
        assertThatThrownBy(() -> parse("@attribute a real\n")).hasMessageContaining("no @data");
    }

    @Test
    void theGermanCreditFileIsComplete() {
        CreditData data = CreditData.load();
        assertThat(data.features()).hasSize(20);
        assertThat(data.classes()).containsExactly("good", "bad");
        assertThat(data.training().size()).isEqualTo(800);
        assertThat(data.heldOut().size()).isEqualTo(200);
        // 700 good and 300 bad in the whole file
        int bad = 0;
        for (int label : data.training().labels()) {
            bad += label;
        }
        for (int label : data.heldOut().labels()) {
            bad += label;
        }
        assertThat(bad).isEqualTo(300);
    }

    private static ArffData parse(String text) throws Exception {
        return ArffParser.parse(new StringReader(text));
    }
}
