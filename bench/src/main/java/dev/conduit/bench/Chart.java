package dev.conduit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SVG chart of a report: one block per scenario, platform threads on the left and virtual
 * threads on the right, one horizontal bar per implementation on a shared log scale of messages per
 * microsecond (round trips per microsecond for ping-pong, labelled with the time per round trip).
 * Longer is faster everywhere. Conduit is red; the JCTools spin reference is grey.
 */
final class Chart {
    private static final int WIDTH = 1180;
    private static final int MARGIN = 16;
    private static final int GAP = 28;
    private static final int PANEL = (WIDTH - 2 * MARGIN - GAP) / 2;
    private static final int LABEL = 150;
    private static final int VALUE = 92;
    private static final int BARS = PANEL - LABEL - VALUE;
    private static final int ROW = 16;
    private static final int BAR = 11;
    private static final int SCENARIO_HEAD = 24;
    private static final int SCENARIO_GAP = 10;
    private static final int MIN_DECADE = -3;

    private Chart() {
    }

    static String svg(List<Report.Row> rows, String subtitle) {
        // scenario -> (threads -> row), in report order
        Map<String, Map<String, Report.Row>> scenarios = new LinkedHashMap<>();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Report.Row r : rows) {
            scenarios.computeIfAbsent(r.scenario(), k -> new LinkedHashMap<>()).put(r.threads(), r);
            for (Report.Result x : r.byImpl().values()) {
                double v = x.perMicro();
                if (v > 0 && Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (max == 0) {
            min = 0.01;
            max = 100;
        }
        // Below 0.001 message per µs (1 ms a message) the bar is a stub; its label gives the value.
        int lo = Math.max(MIN_DECADE, (int) Math.floor(Math.log10(min)));
        int hi = Math.max(lo + 1, (int) Math.ceil(Math.log10(max)));

        List<String> implsPresent = new ArrayList<>();
        for (String impl : Report.NAMES.keySet()) {
            for (Report.Row r : rows) {
                if (r.byImpl().containsKey(impl)) {
                    implsPresent.add(impl);
                    break;
                }
            }
        }

        StringBuilder body = new StringBuilder();
        int y = 112; // below title, legend, panel headers and the top axis labels
        int bodyTop = y - 8;
        for (Map.Entry<String, Map<String, Report.Row>> e : scenarios.entrySet()) {
            String name = e.getKey();
            int n = 0;
            for (Report.Row r : e.getValue().values()) {
                n = Math.max(n, r.byImpl().size());
            }
            boolean latency = false;
            for (Report.Row r : e.getValue().values()) {
                for (Report.Result x : r.byImpl().values()) {
                    latency |= x.lowerIsBetter();
                }
            }
            text(body, MARGIN, y + 14, name + (latency ? "  (bar: round trips per µs; label: time per round trip)" : ""),
                    "font-weight:bold;font-size:13px");
            int top = y + SCENARIO_HEAD;
            int panel = 0;
            for (String threads : List.of("platform", "virtual")) {
                int x0 = MARGIN + panel * (PANEL + GAP);
                Report.Row r = e.getValue().get(threads);
                if (r == null) {
                    text(body, x0 + LABEL, top + 11, "not run", "fill:#999;font-style:italic");
                } else {
                    int k = 0;
                    for (Report.Result x : r.byImpl().values()) {
                        int by = top + k * ROW;
                        bar(body, x0, by, x, lo, hi);
                        k++;
                    }
                }
                panel++;
            }
            y = top + n * ROW + SCENARIO_GAP;
            body.append("<line x1=\"").append(MARGIN).append("\" y1=\"").append(y - SCENARIO_GAP / 2)
                    .append("\" x2=\"").append(WIDTH - MARGIN).append("\" y2=\"").append(y - SCENARIO_GAP / 2)
                    .append("\" stroke=\"#e4e4e4\"/>\n");
        }
        int bodyBottom = y;
        int height = bodyBottom + 40;

        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11px\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, MARGIN, 24, "Conduit and its peers: messages per microsecond (log scale, longer is faster)",
                "font-weight:bold;font-size:16px");
        text(svg, MARGIN, 42, subtitle, "fill:#555;font-size:12px");
        // legend
        int lx = MARGIN;
        for (String impl : implsPresent) {
            svg.append("<rect x=\"").append(lx).append("\" y=\"52\" width=\"11\" height=\"11\" fill=\"")
                    .append(Report.COLORS.getOrDefault(impl, "#444")).append("\"/>\n");
            String label = Report.NAMES.getOrDefault(impl, impl);
            text(svg, lx + 15, 62, label, impl.equals("conduit") ? "font-weight:bold" : "");
            lx += 24 + (int) (label.length() * 6.4);
        }
        // panel headers and axes
        for (int panel = 0; panel < 2; panel++) {
            int x0 = MARGIN + panel * (PANEL + GAP);
            text(svg, x0, 84, panel == 0 ? "Platform threads" : "Virtual threads", "font-weight:bold;font-size:13px");
            for (int d = lo; d <= hi; d++) {
                double gx = x0 + LABEL + BARS * (double) (d - lo) / (hi - lo);
                svg.append("<line x1=\"").append(fmt(gx)).append("\" y1=\"").append(bodyTop).append("\" x2=\"")
                        .append(fmt(gx)).append("\" y2=\"").append(bodyBottom).append("\" stroke=\"#d0d0d0\"")
                        .append(d == lo ? "" : " stroke-dasharray=\"3,3\"").append("/>\n");
                String label = decade(d);
                textMiddle(svg, gx, 100, label, "fill:#666");
                textMiddle(svg, gx, bodyBottom + 14, label, "fill:#666");
            }
            textMiddle(svg, x0 + LABEL + BARS / 2.0, bodyBottom + 30, "messages per µs", "fill:#666");
        }
        svg.append(body);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void bar(StringBuilder b, int x0, int y, Report.Result x, int lo, int hi) {
        String name = Report.NAMES.getOrDefault(x.impl(), x.impl());
        boolean conduit = x.impl().equals("conduit");
        textEnd(b, x0 + LABEL - 6, y + BAR - 1, name, conduit ? "font-weight:bold" : "");
        double v = x.perMicro();
        double len = 0;
        if (v > 0 && Double.isFinite(v)) {
            len = BARS * Math.max(0, Math.log10(v) - lo) / (hi - lo);
            len = Math.max(1.5, Math.min(BARS, len));
        }
        b.append("<rect x=\"").append(x0 + LABEL).append("\" y=\"").append(y).append("\" width=\"").append(fmt(len))
                .append("\" height=\"").append(BAR).append("\" fill=\"").append(Report.COLORS.getOrDefault(x.impl(), "#444"))
                .append("\"><title>").append(esc(name + ": " + Report.num(x.score()) + " ± "
                        + Report.num(x.error()) + " " + x.unit())).append("</title></rect>\n");
        String label = x.lowerIsBetter() ? latency(x) : Report.num(x.score());
        text(b, x0 + LABEL + len + 4, y + BAR - 1, label, conduit ? "font-weight:bold" : "fill:#333");
    }

    private static String latency(Report.Result x) {
        double ns = 1000.0 / x.perMicro();
        return ns >= 1000 ? Report.num(ns / 1000) + " µs" : Report.num(ns) + " ns";
    }

    private static String decade(int d) {
        if (d >= 0) {
            return d <= 6 ? String.valueOf((long) Math.pow(10, d)) : "1e" + d;
        }
        return d >= -4 ? String.format(Locale.ROOT, "%." + (-d) + "f", Math.pow(10, d)) : "1e" + d;
    }

    private static void text(StringBuilder b, double x, double y, String s, String style) {
        b.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append('"');
        if (!style.isEmpty()) {
            b.append(" style=\"").append(style).append('"');
        }
        b.append('>').append(esc(s)).append("</text>\n");
    }

    private static void textEnd(StringBuilder b, double x, double y, String s, String style) {
        text(b, x, y, s, "text-anchor:end" + (style.isEmpty() ? "" : ";" + style));
    }

    private static void textMiddle(StringBuilder b, double x, double y, String s, String style) {
        text(b, x, y, s, "text-anchor:middle" + (style.isEmpty() ? "" : ";" + style));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
