package dev.conduit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, tolerant JSON reader for JMH's result files: objects become {@link LinkedHashMap}s
 * (key order kept), arrays {@link ArrayList}s, numbers {@link Double}s. It also accepts the bare
 * {@code NaN}, {@code Infinity} and {@code -Infinity} some writers produce, trailing commas, and
 * a byte-order mark.
 */
final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        Json p = new Json(text);
        if (p.s.startsWith("\uFEFF")) {
            p.i = 1;
        }
        Object v = p.value();
        p.ws();
        if (p.i != p.s.length()) {
            throw p.error("trailing text");
        }
        return v;
    }

    /** The value at a path of keys (strings) and indexes (integers), or {@code null}. */
    static Object at(Object root, Object... path) {
        Object v = root;
        for (Object k : path) {
            if (k instanceof String key && v instanceof Map<?, ?> m) {
                v = m.get(key);
            } else if (k instanceof Integer idx && v instanceof List<?> l && idx >= 0 && idx < l.size()) {
                v = l.get(idx);
            } else {
                return null;
            }
        }
        return v;
    }

    /** A number, also from a string like {@code "NaN"}; NaN when absent or not a number. */
    static double num(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String str) {
            try {
                return Double.parseDouble(str.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    static String str(Object v) {
        return v == null ? "" : v instanceof Double d && d == Math.rint(d) && !d.isInfinite()
                ? String.valueOf(d.longValue()) : String.valueOf(v);
    }

    private Object value() {
        ws();
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            default:
                if (s.startsWith("true", i)) {
                    i += 4;
                    return Boolean.TRUE;
                }
                if (s.startsWith("false", i)) {
                    i += 5;
                    return Boolean.FALSE;
                }
                if (s.startsWith("null", i)) {
                    i += 4;
                    return null;
                }
                return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        for (;;) {
            ws();
            if (peek() == '}') {
                i++;
                return m;
            }
            String key = string();
            ws();
            expect(':');
            m.put(key, value());
            ws();
            if (peek() == ',') {
                i++;
            } else if (peek() != '}') {
                throw error("expected , or }");
            }
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        i++;
        for (;;) {
            ws();
            if (peek() == ']') {
                i++;
                return l;
            }
            l.add(value());
            ws();
            if (peek() == ',') {
                i++;
            } else if (peek() != ']') {
                throw error("expected , or ]");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        for (;;) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> b.append(e); // \" \\ \/ and anything else taken literally
            }
        }
    }

    private Double number() {
        int start = i;
        if (s.startsWith("NaN", i)) {
            i += 3;
            return Double.NaN;
        }
        if (s.startsWith("-Infinity", i)) {
            i += 9;
            return Double.NEGATIVE_INFINITY;
        }
        if (s.startsWith("Infinity", i)) {
            i += 8;
            return Double.POSITIVE_INFINITY;
        }
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        if (start == i) {
            throw error("unexpected character '" + s.charAt(i) + "'");
        }
        return Double.valueOf(s.substring(start, i));
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        return s.charAt(i);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected " + c);
        }
        i++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + i);
    }
}
