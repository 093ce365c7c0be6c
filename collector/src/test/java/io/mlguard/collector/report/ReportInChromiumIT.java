package io.mlguard.collector.report;

import static io.mlguard.collector.report.ReportFromDetectorsTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlguard.collector.incident.Incident;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of a real collector, opened in Debian's headless Chromium: the pages render, the
 * charts are there as SVG, and a client id made of markup and script is shown as text and never
 * becomes an element or runs. Screenshots are kept in {@code target/report-screenshots/}.
 */
class ReportInChromiumIT {
    static final Path SCREENSHOTS =
            Path.of(System.getProperty("basedir", ".")).resolve("target/report-screenshots");

    /** The hostile id as the browser serialises a text node: markup characters escaped. */
    private static final String HOSTILE_AS_TEXT =
            "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt;";

    @TempDir static Path tmp;
    private static DetectedIncidents.Result result;
    private static HeadlessChromium chromium;

    @BeforeAll
    static void report() throws Exception {
        chromium = new HeadlessChromium(tmp);
        result = DetectedIncidents.run(tmp);
    }

    @Test
    void theQueryAttackPageRendersItsChartsAndShowsTheHostileIdAsText() throws Exception {
        Incident attack = result.ofType("query_attack");
        String dom = chromium.dumpDom(result.page(attack));

        assertThat(dom).as("rendered DOM").contains("<main>").contains("Near-duplicates among");
        assertThat(count(dom, "<svg")).as("charts").isEqualTo(2);
        assertThat(dom).contains("<path class=\"line\"").contains("<rect class=\"bar\"");
        assertNothingInjected(dom, attack);
        assertThat(count(dom, HOSTILE_AS_TEXT))
                .as("hostile id shown as text (clients, chart title)")
                .isGreaterThanOrEqualTo(2);

        chromium.screenshot(result.page(attack), SCREENSHOTS.resolve("incident.png"), 1280, 1600);
        assertRendered(SCREENSHOTS.resolve("incident.png"), 1280, 1600);
    }

    @Test
    void theDriftPageDrawsReferenceAgainstRecentBars() throws Exception {
        Incident drift = result.ofType("data_drift");
        String dom = chromium.dumpDom(result.page(drift));

        assertThat(count(dom, "<svg")).isEqualTo(2);
        assertThat(count(dom, "<rect class=\"bar\"")).isGreaterThan(10);
        assertThat(dom).contains("reference vs recent");
        assertNothingInjected(dom, drift);

        chromium.screenshot(result.page(drift), SCREENSHOTS.resolve("drift.png"), 1280, 1600);
        assertRendered(SCREENSHOTS.resolve("drift.png"), 1280, 1600);
    }

    @Test
    void theIndexListsTheIncidentsWithTheHostileIdAsText() throws Exception {
        Path index = result.reportDir().resolve("index.html");
        String dom = chromium.dumpDom(index);

        assertThat(dom).contains(HOSTILE_AS_TEXT);
        assertThat(dom).doesNotContain("<img").doesNotContain("<script");
        assertThat(title(dom)).isEqualTo("mlguard incidents");
        for (Incident i : result.incidents()) {
            assertThat(dom).contains("href=\"incidents/" + i.id() + ".html\"");
        }
        chromium.screenshot(index, SCREENSHOTS.resolve("index.png"), 1280, 900);
        assertRendered(SCREENSHOTS.resolve("index.png"), 1280, 900);
    }

    private static void assertNothingInjected(String dom, Incident i) {
        assertThat(dom)
                .as("no element from the payload")
                .doesNotContain("<img")
                .doesNotContain("<script");
        assertThat(dom).doesNotContain("onerror=\"").doesNotContain("onmouseover=\"");
        assertThat(title(dom))
                .as("document title untouched")
                .startsWith("mlguard " + i.id())
                .doesNotContain("pwned");
    }

    /** The document's own title: the first title element, in the head. */
    private static String title(String dom) {
        Matcher m = Pattern.compile("<head>.*?<title>([^<]*)</title>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("a title in the head").isTrue();
        return m.group(1);
    }

    /** The PNG has the window's size and is not blank: text, tables and charts give colours. */
    private static void assertRendered(Path png, int width, int height) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG").isNotNull();
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < height; y += 4) {
            for (int x = 0; x < width; x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(20);
    }
}
