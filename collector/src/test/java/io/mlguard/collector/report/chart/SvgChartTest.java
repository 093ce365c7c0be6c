package io.mlguard.collector.report.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {
    private static final String HOSTILE = "<script>alert(1)</script>\"'&";

    /** Parses the SVG as XML: it must be well-formed whatever went in. */
    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document d, String tag) {
        NodeList nodes = d.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static double attr(Element e, String name) {
        return Double.parseDouble(e.getAttribute(name));
    }

    @Test
    void outsideTextIsEscapedEverywhere() throws Exception {
        String svg =
                SvgChart.render(
                        Chart.bars(
                                "client " + HOSTILE,
                                HOSTILE,
                                HOSTILE,
                                List.of(HOSTILE, "b"),
                                List.of(new Series(HOSTILE, "#123456", new double[] {1, 2}))));

        assertThat(svg).doesNotContain("<script").contains("&lt;script&gt;");
        Document d = parse(svg);
        assertThat(elements(d, "script")).isEmpty();
        assertThat(d.getElementsByTagName("title").item(0).getTextContent())
                .isEqualTo("client " + HOSTILE);
        // Axis labels are cut, then escaped: the text is a prefix of the hostile string.
        assertThat(elements(d, "text"))
                .anySatisfy(t -> assertThat(t.getTextContent()).startsWith("<script>alert("));
    }

    @Test
    void barsAreScaledFromZeroToTheLargestValue() throws Exception {
        Document d =
                parse(
                        SvgChart.render(
                                Chart.bars(
                                        "t",
                                        "x",
                                        "y",
                                        List.of("a", "b", "c"),
                                        List.of(new Series("s", "#000", new double[] {4, 2, 0})))));
        List<Element> bars =
                elements(d, "rect").stream()
                        .filter(r -> r.getAttribute("class").equals("bar"))
                        .toList();
        assertThat(bars).hasSize(3);
        double full = SvgChart.plotHeight();
        assertThat(attr(bars.get(0), "height"))
                .isCloseTo(full, org.assertj.core.data.Offset.offset(0.1));
        assertThat(attr(bars.get(1), "height"))
                .isCloseTo(full / 2, org.assertj.core.data.Offset.offset(0.1));
        assertThat(attr(bars.get(2), "height")).isZero();
        // every bar stands on the x axis
        for (Element bar : bars) {
            assertThat(attr(bar, "y") + attr(bar, "height"))
                    .isCloseTo(SvgChart.TOP + full, org.assertj.core.data.Offset.offset(0.11));
        }
        // bars lie left to right in category order, inside the plot
        assertThat(attr(bars.get(0), "x")).isLessThan(attr(bars.get(1), "x"));
        assertThat(attr(bars.get(2), "x") + attr(bars.get(2), "width"))
                .isLessThanOrEqualTo(SvgChart.WIDTH - SvgChart.RIGHT);
    }

    @Test
    void emptyDataGivesAValidChartSayingSo() throws Exception {
        for (Chart c :
                List.of(
                        Chart.bars("t", "x", "y", List.of(), List.of()),
                        Chart.lines(
                                "t", "x", "y", List.of(), new double[0], List.of(), Double.NaN))) {
            Document d = parse(SvgChart.render(c));
            assertThat(elements(d, "text"))
                    .anySatisfy(t -> assertThat(t.getTextContent()).isEqualTo("no data"));
            assertThat(elements(d, "path")).isEmpty();
        }
    }

    @Test
    void nanAndInfinitiesLeaveGapsNotBrokenCoordinates() throws Exception {
        double[] values = {1, Double.NaN, Double.POSITIVE_INFINITY, 3, Double.NEGATIVE_INFINITY, 2};
        double[] x = {0, 1, 2, 3, 4, 5};
        String bars =
                SvgChart.render(
                        Chart.bars(
                                "t",
                                "x",
                                "y",
                                List.of("a", "b", "c", "d", "e", "f"),
                                List.of(new Series("s", "#000", values))));
        String lines =
                SvgChart.render(
                        Chart.lines(
                                "t",
                                "x",
                                "y",
                                List.of("start", "end"),
                                x,
                                List.of(new Series("s", "#000", values)),
                                Double.NaN));
        for (String svg : List.of(bars, lines)) {
            parse(svg);
            assertThat(numbers(svg)).allSatisfy(v -> assertThat(Double.isFinite(v)).isTrue());
            assertThat(svg).doesNotContain("NaN").doesNotContain("Infinity");
        }
        Document b = parse(bars);
        assertThat(elements(b, "rect").stream().filter(r -> r.getAttribute("class").equals("bar")))
                .hasSize(3);
        // the line breaks at each gap: three sub-paths of one point each
        String d = elements(parse(lines), "path").get(0).getAttribute("d");
        assertThat(d.split("M", -1)).hasSize(4);
        assertThat(d).doesNotContain("L");
        assertThat(elements(parse(lines), "circle")).hasSize(3);
    }

    @Test
    void aLineIsScaledAndItsThresholdDrawn() throws Exception {
        Document d =
                parse(
                        SvgChart.render(
                                Chart.lines(
                                        "t",
                                        "x",
                                        "y",
                                        List.of("first", "last"),
                                        new double[] {10, 20, 30},
                                        List.of(new Series("s", "#000", new double[] {0, 6, 12})),
                                        12)));
        List<Element> dots = elements(d, "circle");
        assertThat(dots).hasSize(3);
        assertThat(attr(dots.get(0), "cx")).isEqualTo(SvgChart.LEFT);
        assertThat(attr(dots.get(2), "cx")).isEqualTo(SvgChart.WIDTH - SvgChart.RIGHT);
        assertThat(attr(dots.get(0), "cy")).isEqualTo(SvgChart.TOP + SvgChart.plotHeight());
        assertThat(attr(dots.get(2), "cy")).isEqualTo(SvgChart.TOP);
        Element threshold =
                elements(d, "line").stream()
                        .filter(l -> l.getAttribute("class").equals("threshold"))
                        .findFirst()
                        .orElseThrow();
        assertThat(attr(threshold, "y1")).isEqualTo(SvgChart.TOP);
        assertThat(elements(d, "text"))
                .anySatisfy(t -> assertThat(t.getTextContent()).isEqualTo("threshold 12"));
    }

    @Test
    void extremeFiniteValuesStillGiveFiniteCoordinates() throws Exception {
        String svg =
                SvgChart.render(
                        Chart.bars(
                                "t",
                                "x",
                                "y",
                                List.of("a", "b"),
                                List.of(
                                        new Series(
                                                "s",
                                                "#000",
                                                new double[] {
                                                    -Double.MAX_VALUE, Double.MAX_VALUE
                                                }))));
        parse(svg);
        assertThat(numbers(svg)).allSatisfy(v -> assertThat(Double.isFinite(v)).isTrue());
    }

    /** Every coordinate-like attribute value in the SVG. */
    private static List<Double> numbers(String svg) {
        Matcher m =
                Pattern.compile("\\b(?:x|y|x1|x2|y1|y2|cx|cy|width|height)=\"([^\"]*)\"")
                        .matcher(svg);
        List<Double> out = new ArrayList<>();
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        assertThat(out).isNotEmpty();
        return out;
    }
}
