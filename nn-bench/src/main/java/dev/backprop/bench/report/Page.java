package dev.backprop.bench.report;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report written twice as it is built: as Markdown, whose charts are PNG files beside it, and as one
 * self-contained HTML page, whose charts are embedded, so it can be mailed or archived alone.
 */
final class Page {
    private final StringBuilder md = new StringBuilder();
    private final StringBuilder html = new StringBuilder();
    private final Map<String, byte[]> charts = new LinkedHashMap<>();

    Page(String title) {
        md.append("# ").append(title).append("\n\n");
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
                        + "color:#222}table{border-collapse:collapse;margin:1em 0;font-size:14px}"
                        + "th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}td.r{text-align:right}"
                        + "code{background:#f3f3f3;padding:1px 3px}img{max-width:100%;border:1px solid #eee}</style>"
                        + "</head><body>\n<h1>")
                .append(escape(title)).append("</h1>\n");
    }

    void heading(String text) {
        md.append("## ").append(text).append("\n\n");
        html.append("<h2>").append(escape(text)).append("</h2>\n");
    }

    void paragraph(String text) {
        md.append(text).append("\n\n");
        html.append("<p>").append(inlineCode(escape(text))).append("</p>\n");
    }

    void code(String text) {
        md.append("```console\n").append(text).append("\n```\n\n");
        html.append("<pre><code>").append(escape(text)).append("</code></pre>\n");
    }

    /** A table; a column whose header starts with a space is aligned right. */
    void table(List<String> header, List<List<String>> rows) {
        md.append('|');
        for (String h : header) {
            md.append(' ').append(h.trim()).append(" |");
        }
        md.append("\n|");
        for (String h : header) {
            md.append(h.startsWith(" ") ? "---:|" : "---|");
        }
        md.append('\n');
        html.append("<table><tr>");
        for (String h : header) {
            html.append("<th>").append(escape(h.trim())).append("</th>");
        }
        html.append("</tr>\n");
        for (List<String> row : rows) {
            md.append('|');
            html.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                md.append(' ').append(row.get(i).replace("|", "\\|")).append(" |");
                html.append(header.get(i).startsWith(" ") ? "<td class=\"r\">" : "<td>").append(escape(row.get(i)))
                        .append("</td>");
            }
            md.append('\n');
            html.append("</tr>\n");
        }
        md.append('\n');
        html.append("</table>\n");
    }

    /** A chart: a file {@code charts/NAME.png} for the Markdown, embedded in the HTML. */
    void chart(String name, String caption, byte[] png) {
        charts.put(name, png);
        md.append("![").append(caption).append("](charts/").append(name).append(".png)\n\n");
        html.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
    }

    String markdown() {
        return md.toString();
    }

    String html() {
        return html + "</body></html>\n";
    }

    Map<String, byte[]> charts() {
        return charts;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** `x` in Markdown text becomes <code>x</code> in HTML. */
    private static String inlineCode(String s) {
        return s.replaceAll("`([^`]+)`", "<code>$1</code>");
    }
}
