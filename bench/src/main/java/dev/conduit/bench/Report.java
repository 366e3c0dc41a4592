package dev.conduit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Turns a JMH JSON result file into {@code REPORT.md} (tables of score ± error per implementation
 * and Conduit's ratio against each, the targets, allocation, idle CPU, the machine) and
 * {@code chart.svg} (log-scale bars per scenario, platform and virtual threads side by side).
 *
 * <p>Usage: {@code Report results.json outDir [idle-cpu.properties] [run.properties]}. The optional
 * files are written by {@code scripts/bench}: the idle-CPU figures, and facts about the run
 * (mode, date, load average before and after).
 */
public final class Report {

    /** Display order and names of the implementations. */
    static final Map<String, String> NAMES = new LinkedHashMap<>();
    /** Bar colours: Conduit stands out, the peers are muted, the spin reference is grey. */
    static final Map<String, String> COLORS = new LinkedHashMap<>();

    static {
        NAMES.put("conduit", "Conduit");
        NAMES.put("abq", "ArrayBlockingQueue");
        NAMES.put("lbq", "LinkedBlockingQueue");
        NAMES.put("ltq", "LinkedTransferQueue");
        NAMES.put("sq", "SynchronousQueue");
        NAMES.put("jox", "Jox");
        NAMES.put("jctools", "JCTools spin (ref.)");
        NAMES.put("jctools_mpmc", "JCTools MPMC spin (ref.)");
        COLORS.put("conduit", "#d62728");
        COLORS.put("abq", "#1f77b4");
        COLORS.put("lbq", "#6baed6");
        COLORS.put("ltq", "#2ca02c");
        COLORS.put("sq", "#98df8a");
        COLORS.put("jox", "#9467bd");
        COLORS.put("jctools", "#9a9a9a");
        COLORS.put("jctools_mpmc", "#c7c7c7");
    }

    /** Benchmarks in report order, with how a scenario is named from the parameters. */
    private static final List<String> ORDER = List.of("BoundedBench", "UnboundedBench", "RendezvousBench",
            "PingPongBench", "SelectBench");

    /** One measured figure. */
    record Result(String scenario, String sortKey, String threads, String impl, double score, double error,
                  String unit, boolean lowerIsBetter, double allocNorm, double allocError) {
        /** Messages (or round trips) per microsecond, for the chart. */
        double perMicro() {
            if (!lowerIsBetter) {
                return score;
            }
            double nanos = unit.startsWith("us") ? score * 1000 : unit.startsWith("ms") ? score * 1e6 : score;
            return 1000.0 / nanos;
        }
    }

    /** One scenario on one kind of thread, with a figure per implementation. */
    record Row(String scenario, String threads, Map<String, Result> byImpl) {
        Result conduit() {
            return byImpl.get("conduit");
        }

        String title() {
            return scenario + ", " + threads + " threads";
        }
    }

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Report results.json outDir [idle-cpu.properties] [run.properties] [alloc.properties]");
            System.exit(2);
        }
        Path json = Path.of(args[0]);
        Path outDir = Path.of(args[1]);
        Properties idle = load(args.length > 2 ? Path.of(args[2]) : null);
        Properties run = load(args.length > 3 ? Path.of(args[3]) : null);
        Properties alloc = load(args.length > 4 ? Path.of(args[4]) : null);
        Object root = Json.parse(Files.readString(json, StandardCharsets.UTF_8));
        List<Row> rows = rows(root);
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("REPORT.md"), markdown(root, rows, idle, run, alloc), StandardCharsets.UTF_8);
        Files.writeString(outDir.resolve("chart.svg"), Chart.svg(rows, subtitle(root, run)), StandardCharsets.UTF_8);
        System.out.println("Report: " + outDir.resolve("REPORT.md") + " and " + outDir.resolve("chart.svg"));
    }

    private static Properties load(Path p) throws IOException {
        Properties props = new Properties();
        if (p != null && Files.isRegularFile(p)) {
            try (var r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                props.load(r);
            }
        }
        return props;
    }

    // ---------------------------------------------------------------- reading JMH's results

    static List<Row> rows(Object root) {
        Map<String, Row> byKey = new TreeMap<>(); // scenario order, then platform before virtual
        if (root instanceof List<?> list) {
            for (Object b : list) {
                Result r = result(b);
                if (r == null) {
                    continue;
                }
                int rank = r.threads().equals("platform") ? 0 : r.threads().equals("virtual") ? 1 : 2;
                String label = r.threads().isEmpty() ? "any" : r.threads();
                byKey.computeIfAbsent(r.sortKey() + "|" + rank, k -> new Row(r.scenario(), label, new LinkedHashMap<>()))
                        .byImpl().put(r.impl(), r);
            }
        }
        List<Row> sorted = new ArrayList<>();
        for (Row row : byKey.values()) {
            Map<String, Result> ordered = new LinkedHashMap<>(); // implementations in display order
            for (String impl : NAMES.keySet()) {
                Result r = row.byImpl().get(impl);
                if (r != null) {
                    ordered.put(impl, r);
                }
            }
            row.byImpl().forEach(ordered::putIfAbsent);
            sorted.add(new Row(row.scenario(), row.threads(), ordered));
        }
        return sorted;
    }

    private static Result result(Object b) {
        String bench = Json.str(Json.at(b, "benchmark"));
        if (bench.isEmpty()) {
            return null;
        }
        String[] parts = bench.split("\\.");
        String cls = parts.length >= 2 ? parts[parts.length - 2] : bench;
        String method = parts[parts.length - 1];
        Map<String, String> params = new LinkedHashMap<>();
        if (Json.at(b, "params") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> params.put(String.valueOf(k), Json.str(v)));
        }
        String impl = params.getOrDefault("impl", "?");
        String threads = params.getOrDefault("threads", "");
        String mode = Json.str(Json.at(b, "mode"));
        double score = Json.num(Json.at(b, "primaryMetric", "score"));
        double error = Json.num(Json.at(b, "primaryMetric", "scoreError"));
        String unit = Json.str(Json.at(b, "primaryMetric", "scoreUnit"));
        double alloc = Json.num(Json.at(b, "secondaryMetrics", "gc.alloc.rate.norm", "score"));
        double allocErr = Json.num(Json.at(b, "secondaryMetrics", "gc.alloc.rate.norm", "scoreError"));
        String[] named = scenario(cls, method, params);
        int order = ORDER.indexOf(cls);
        String sortKey = String.format(Locale.ROOT, "%02d %s", order < 0 ? 99 : order, named[1]);
        boolean lower = mode.equals("avgt") || mode.equals("sample") || mode.equals("ss");
        return new Result(named[0], sortKey, threads, impl, score, error, unit, lower, alloc, allocErr);
    }

    /** Scenario title and a sort key within its benchmark. */
    static String[] scenario(String cls, String method, Map<String, String> params) {
        switch (cls) {
            case "BoundedBench": {
                String shape = params.getOrDefault("shape", "?");
                return new String[] {describe(shape), String.format(Locale.ROOT, "%s %08d", kindOrder(shape),
                        capacityOf(shape))};
            }
            case "UnboundedBench": {
                String flow = params.getOrDefault("flow", "?");
                return new String[] {describe(flow), kindOrder(flow)};
            }
            case "RendezvousBench":
                return new String[] {"Rendezvous one-way hand-off", "a"};
            case "PingPongBench":
                return new String[] {"Rendezvous ping-pong round trip", "a"};
            case "SelectBench": {
                String cap = params.getOrDefault("capacity", "?");
                return new String[] {"Select over 4 channels (4:1, capacity " + cap + ")",
                        String.format(Locale.ROOT, "%08d", (int) Json.num(cap))};
            }
            default: {
                StringBuilder s = new StringBuilder(cls + "." + method);
                params.forEach((k, v) -> {
                    if (!k.equals("impl") && !k.equals("threads")) {
                        s.append(' ').append(k).append('=').append(v);
                    }
                });
                return new String[] {s.toString(), s.toString()};
            }
        }
    }

    private static String kindOrder(String shape) {
        return shape.startsWith("spsc") ? "1" : shape.startsWith("mpsc") ? "2" : "3";
    }

    private static int capacityOf(String shape) {
        int us = shape.indexOf('_');
        return us < 0 ? Integer.MAX_VALUE : (int) Json.num(shape.substring(us + 1));
    }

    static String describe(String shape) {
        try {
            Shape s = Shape.of(shape);
            String who = s.producers() == 1 && s.consumers() == 1 ? "SPSC"
                    : s.consumers() == 1 ? "MPSC " + s.producers() + ":1"
                    : "MPMC " + s.producers() + ":" + s.consumers();
            String cap = s.capacity() == Pipes.UNBOUNDED ? "unbounded"
                    : s.capacity() == 0 ? "rendezvous" : "bounded " + s.capacity();
            return who + ", " + cap;
        } catch (RuntimeException e) {
            return shape;
        }
    }

    // ---------------------------------------------------------------- ratios

    /** How many times Conduit is faster than {@code peer} (&gt; 1: Conduit faster); NaN if unknown. */
    static double ratio(Result conduit, Result peer) {
        if (conduit == null || peer == null || !(conduit.score() > 0) || !(peer.score() > 0)) {
            return Double.NaN;
        }
        return conduit.lowerIsBetter() ? peer.score() / conduit.score() : conduit.score() / peer.score();
    }

    /** The two figures' error intervals overlap: the ratio is not distinguishable from 1. */
    static boolean overlaps(Result a, Result b) {
        if (a == null || b == null || Double.isNaN(a.error()) || Double.isNaN(b.error())) {
            return false;
        }
        return Math.abs(a.score() - b.score()) <= a.error() + b.error();
    }

    // ---------------------------------------------------------------- Markdown

    private static String markdown(Object root, List<Row> rows, Properties idle, Properties run, Properties alloc) {
        StringBuilder md = new StringBuilder();
        md.append("# Conduit benchmark report\n\n");
        md.append(machine(root, run)).append('\n');
        md.append("![chart](chart.svg)\n\n");
        md.append("How to read this: scores are JMH's mean ± its 99.9% error (\"n/a\" when there were too few ")
                .append("iterations to compute one). **Conduit ÷ peer** is how many times faster Conduit is than ")
                .append("that implementation in the same run: above 1 Conduit is faster; for the round-trip ")
                .append("latency it is peer time ÷ Conduit time, so above 1 still means Conduit is faster. A ratio ")
                .append("marked ≈ lies within the two figures' error bars. The JCTools column is a busy-spinning ")
                .append("queue, the ceiling the hardware allows, not a peer.\n\n");

        md.append("## Summary: Conduit ÷ each implementation\n\n");
        List<String> impls = new ArrayList<>();
        for (String impl : NAMES.keySet()) {
            if (impl.equals("conduit")) {
                continue;
            }
            for (Row r : rows) {
                if (r.byImpl().containsKey(impl)) {
                    impls.add(impl);
                    break;
                }
            }
        }
        md.append("| scenario | threads | Conduit |");
        impls.forEach(i -> md.append(' ').append(NAMES.get(i)).append(" |"));
        md.append("\n| --- | --- | ---: |");
        impls.forEach(i -> md.append(" ---: |"));
        md.append('\n');
        for (Row r : rows) {
            Result c = r.conduit();
            md.append("| ").append(r.scenario()).append(" | ").append(r.threads()).append(" | ")
                    .append(c == null ? "–" : num(c.score()) + " " + unitShort(c)).append(" |");
            for (String i : impls) {
                Result p = r.byImpl().get(i);
                md.append(' ').append(p == null ? "" : ratioText(c, p)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');

        md.append(targets(rows, idle, alloc));

        md.append("## Each scenario\n\n");
        for (Row r : rows) {
            md.append("### ").append(r.title()).append("\n\n");
            Result any = r.byImpl().values().iterator().next();
            md.append("| implementation | ").append(any.lowerIsBetter() ? "time per round trip" : "throughput")
                    .append(" | Conduit ÷ this | ")
                    .append(any.lowerIsBetter() ? "allocated per round trip (2 messages)" : "allocated per message")
                    .append(" |\n| --- | ---: | ---: | ---: |\n");
            for (Result x : r.byImpl().values()) {
                md.append("| ").append(NAMES.getOrDefault(x.impl(), x.impl())).append(" | ")
                        .append(num(x.score())).append(" ± ").append(err(x.error())).append(' ').append(unitShort(x))
                        .append(" | ").append(x.impl().equals("conduit") ? "" : ratioText(r.conduit(), x))
                        .append(" | ").append(alloc(x)).append(" |\n");
            }
            md.append('\n');
        }

        md.append("## Allocation per message, counted per thread\n\n");
        if (alloc.isEmpty()) {
            md.append("Not measured in this run (run `scripts/bench`, which runs `ExactAlloc`).\n\n");
        } else {
            md.append("What the producer and the consumer thread allocate while they move ")
                    .append(alloc.getProperty("messages", "200000")).append(" messages (the least of three passes after a warm-up pass, so that what a thread ")
                    .append("allocates once for its life does not count), ")
                    .append("counted exactly by the JDK's per-thread allocation counter, platform threads. ")
                    .append("`-prof gc` above divides the whole JVM's allocation by the messages, so JMH's and the ")
                    .append("harness's own background allocation shows there as a fraction of a byte per message, ")
                    .append("larger the slower the scenario.\n\n")
                    .append("| implementation | capacity 0 | capacity 16 | capacity 1024 | unbounded |\n")
                    .append("| --- | ---: | ---: | ---: | ---: |\n");
            for (String impl : NAMES.keySet()) {
                if (alloc.getProperty("alloc." + impl + ".16") == null
                        && alloc.getProperty("alloc." + impl + "." + Pipes.UNBOUNDED) == null) {
                    continue;
                }
                md.append("| ").append(NAMES.get(impl));
                for (int cap : new int[] {0, 16, 1024, Pipes.UNBOUNDED}) {
                    String v = alloc.getProperty("alloc." + impl + "." + cap);
                    md.append(" | ").append(v == null ? "" : v + " B");
                }
                md.append(" |\n");
            }
            md.append('\n');
        }

        md.append("## Idle CPU of a blocked thread\n\n");
        if (idle.isEmpty()) {
            md.append("Not measured in this run (run `scripts/bench`, which runs `IdleCpu`).\n\n");
        } else {
            md.append("One thread blocked for 1 s: `recv` on an empty channel, `send` on a full channel of ")
                    .append("capacity 1. Platform threads: the thread's own CPU time (JDK thread CPU counter), ")
                    .append("target under 1% of a core. Virtual threads: the JDK cannot count a virtual thread's ")
                    .append("CPU, so this is the CPU of every other Java thread over that second (the carrier ")
                    .append("threads that would run a spinning virtual thread, the scheduler, the JVM's own ")
                    .append("threads): an upper bound. The same second with nothing blocked: ")
                    .append(idle.getProperty("idle.baseline.others.virtual", "?"))
                    .append("%.\n\n| implementation | operation | platform thread | virtual thread (upper bound) |\n")
                    .append("| --- | --- | ---: | ---: |\n");
            for (String impl : NAMES.keySet()) {
                for (String op : List.of("recv", "send")) {
                    String p = idle.getProperty("idle." + impl + "." + op + ".platform");
                    String v = idle.getProperty("idle." + impl + "." + op + ".virtual");
                    if (p != null) {
                        md.append("| ").append(NAMES.get(impl)).append(" | ").append(op).append(" | ")
                                .append(p).append("% | ").append(v == null ? "" : v + "%").append(" |\n");
                    }
                }
            }
            md.append('\n');
        }
        md.append("## How this was measured\n\n")
                .append("`bench/` (JMH ").append(Json.str(Json.at(root, 0, "jmhVersion")))
                .append("): every implementation runs the same harness through a small send/recv adapter ")
                .append("using its idiomatic blocking calls (Conduit send/recv, put/take, transfer/take for ")
                .append("LinkedTransferQueue at capacity 0, Jox send/receive; JCTools busy-spins offer/poll). ")
                .append("Each iteration starts its own producer and consumer threads (platform or virtual) and ")
                .append("ends them; each benchmark call moves a fixed batch of pre-made `Integer` messages, so ")
                .append("scores are messages per microsecond (`@OperationsPerInvocation`), and the ping-pong ")
                .append("score is the average time per round trip. Allocation is JMH's `-prof gc` ")
                .append("`gc.alloc.rate.norm`, bytes per message, including the harness's own small share ")
                .append("(compare with the JCTools figure, which allocates nothing per message). See ")
                .append("`bench/README.md`.\n");
        return md.toString();
    }

    private static String subtitle(Object root, Properties run) {
        String jdk = Json.str(Json.at(root, 0, "jdkVersion"));
        String cores = run.getProperty("nproc", String.valueOf(Runtime.getRuntime().availableProcessors()));
        String date = run.getProperty("date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE));
        return "JDK " + jdk + " · " + cores + " cores · " + date + (run.containsKey("mode") ? " · " + run.getProperty("mode") + " run" : "");
    }

    private static String machine(Object root, Properties run) {
        String cores = run.getProperty("nproc", String.valueOf(Runtime.getRuntime().availableProcessors()));
        String os = run.getProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        String date = run.getProperty("date",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        StringBuilder s = new StringBuilder();
        s.append("| | |\n| --- | --- |\n");
        s.append("| date | ").append(date).append(" |\n");
        if (run.containsKey("mode")) {
            s.append("| run | ").append(run.getProperty("mode")).append(" (`scripts/bench")
                    .append(run.getProperty("mode").equals("full") ? " --full" : "").append("`) |\n");
        }
        s.append("| machine | ").append(cores).append(" cores");
        if (run.containsKey("cpu")) {
            s.append(", ").append(run.getProperty("cpu"));
        }
        s.append(", ").append(os).append(" |\n");
        s.append("| JDK | ").append(Json.str(Json.at(root, 0, "jdkVersion"))).append(" (")
                .append(Json.str(Json.at(root, 0, "vmName"))).append(' ')
                .append(Json.str(Json.at(root, 0, "vmVersion"))).append(") |\n");
        s.append("| JMH | ").append(Json.str(Json.at(root, 0, "jmhVersion"))).append(", ")
                .append(Json.str(Json.at(root, 0, "forks"))).append(" fork, warm-up ")
                .append(Json.str(Json.at(root, 0, "warmupIterations"))).append(" × ")
                .append(Json.str(Json.at(root, 0, "warmupTime"))).append(", measurement ")
                .append(Json.str(Json.at(root, 0, "measurementIterations"))).append(" × ")
                .append(Json.str(Json.at(root, 0, "measurementTime"))).append(", JVM options `")
                .append(String.join(" ", jvmArgs(root))).append("` |\n");
        if (run.containsKey("load.before")) {
            s.append("| load average (1 min) | ").append(run.getProperty("load.before")).append(" before, ")
                    .append(run.getProperty("load.after", "?")).append(" after |\n");
            double before = Json.num(run.getProperty("load.before"));
            double after = Json.num(run.getProperty("load.after"));
            double n = Json.num(cores);
            if (before >= 0.5 * n || after >= 1.5 * n) {
                s.append("\n**The machine was busy** during this run (load average ").append(run.getProperty("load.before"))
                        .append(" before and ").append(run.getProperty("load.after", "?")).append(" after, on ")
                        .append(cores).append(" cores; the benchmark itself adds about 1-2 while it runs). ")
                        .append("Other work competed for the cores: figures are lower and noisier than on an idle ")
                        .append("machine, and ratios are less reliable.\n");
            }
        }
        return s.toString();
    }

    private static List<String> jvmArgs(Object root) {
        List<String> out = new ArrayList<>();
        if (Json.at(root, 0, "jvmArgs") instanceof List<?> l) {
            l.forEach(a -> out.add(String.valueOf(a)));
        }
        return out;
    }

    // ---------------------------------------------------------------- targets (issue 4)

    private static String targets(List<Row> rows, Properties idle, Properties alloc) {
        StringBuilder md = new StringBuilder("## Targets (issue 4)\n\n");
        md.append("Checked on the mean of each figure; \"≈\" marks a ratio within the error bars.\n\n");
        md.append("| target | scenario | measured | met |\n| --- | --- | --- | --- |\n");
        Predicate<Row> platform = r -> r.threads().equals("platform");
        Predicate<Row> virtual = r -> r.threads().equals("virtual");
        check(md, rows, "≥ 10× SynchronousQueue and Jox", s -> s.equals("Rendezvous one-way hand-off"), platform,
                List.of("sq", "jox"), 10);
        check(md, rows, "≥ 10× ArrayBlockingQueue and Jox", s -> s.equals("SPSC, bounded 16"), platform,
                List.of("abq", "jox"), 10);
        check(md, rows, "round trip within 2× of the spin reference", s -> s.startsWith("Rendezvous ping-pong"),
                platform, List.of("jctools"), 0.5);
        check(md, rows, "≥ 2× ArrayBlockingQueue and Jox", s -> s.equals("SPSC, bounded 1024"), platform,
                List.of("abq", "jox"), 2);
        check(md, rows, "≥ ½ the spin reference", s -> s.equals("SPSC, bounded 1024"), platform,
                List.of("jctools"), 0.5);
        check(md, rows, "≥ 1.5× ArrayBlockingQueue and Jox", s -> s.equals("MPSC 4:1, bounded 1024"), platform,
                List.of("abq", "jox"), 1.5);
        check(md, rows, "≥ 2× LinkedTransferQueue and Jox", s -> s.endsWith(", unbounded"), platform,
                List.of("ltq", "jox"), 2);
        check(md, rows, "≥ 2× Jox's select", s -> s.startsWith("Select"), r -> true, List.of("jox"), 2);
        // virtual threads: 1.5x the best peer, every scenario
        for (Row r : rows) {
            if (!virtual.test(r) || r.conduit() == null) {
                continue;
            }
            Result best = null;
            for (Result p : r.byImpl().values()) {
                if (p.impl().equals("conduit") || p.impl().startsWith("jctools")) { // references, not peers
                    continue;
                }
                if (best == null || ratio(r.conduit(), p) < ratio(r.conduit(), best)) {
                    best = p;
                }
            }
            if (best != null) {
                double q = ratio(r.conduit(), best);
                md.append("| ≥ 1.5× the best peer | ").append(r.title()).append(" | ")
                        .append(ratioText(r.conduit(), best)).append(" ").append(NAMES.get(best.impl()))
                        .append(" | ").append(met(q >= 1.5)).append(" |\n");
            }
        }
        // allocation on the bounded path (platform threads; virtual threads allocate when they unmount)
        for (Row r : rows) {
            Result c = r.conduit();
            if (c == null || !platform.test(r) || Double.isNaN(c.allocNorm())
                    || !(r.scenario().contains("bounded ") || r.scenario().startsWith("Rendezvous one-way"))) {
                continue;
            }
            md.append("| 0 B per message on the bounded path, capacity 0 included (≤ 0.1 B: harness noise) | ").append(r.title())
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f B/msg", c.allocNorm())).append(" | ")
                    .append(met(c.allocNorm() <= 0.1)).append(" |\n");
        }
        for (int cap : new int[] {0, 16, 1024}) {
            String v = alloc.getProperty("alloc.conduit." + cap);
            if (v != null) {
                String bytes = alloc.getProperty("alloc.conduit." + cap + ".bytes", "?");
                md.append("| 0 B per message on the bounded path, counted per thread | capacity ").append(cap)
                        .append(", producer + consumer, platform threads | ").append(v).append(" B/msg (")
                        .append(bytes).append(" B in all) | ").append(met("0".equals(bytes))).append(" |\n");
            }
        }
        String unbounded = alloc.getProperty("alloc.conduit." + Pipes.UNBOUNDED);
        String blockBytes = alloc.getProperty("alloc.conduit.block.bytes");
        if (unbounded != null && blockBytes != null) {
            double perBlock = Json.num(blockBytes) / Json.num(unbounded); // messages per block allocated
            md.append("| at most one block per 32 messages on the unbounded path, counted per thread | unbounded, ")
                    .append("producer + consumer, platform threads | ").append(unbounded).append(" B/msg, a block (")
                    .append(alloc.getProperty("alloc.conduit.block.slots", "?")).append(" slots) being ")
                    .append(blockBytes).append(" B: one block per ")
                    .append(String.format(Locale.ROOT, "%.1f", perBlock)).append(" messages | ")
                    .append(met(perBlock >= 32)).append(" |\n");
        }
        for (String op : List.of("recv", "send")) {
            String p = idle.getProperty("idle.conduit." + op + ".platform");
            if (p != null) {
                double v = Json.num(p);
                md.append("| blocked ").append(op).append(" uses < 1% of a core | 1 s, platform thread | ")
                        .append(p).append("% | ").append(met(v < 1.0)).append(" |\n");
            }
        }
        md.append('\n');
        return md.toString();
    }

    private static void check(StringBuilder md, List<Row> rows, String target, Predicate<String> scenario,
                              Predicate<Row> threads, List<String> peers, double need) {
        for (Row r : rows) {
            if (!scenario.test(r.scenario()) || !threads.test(r) || r.conduit() == null) {
                continue;
            }
            StringBuilder measured = new StringBuilder();
            boolean ok = true;
            boolean any = false;
            for (String peer : peers) {
                Result p = r.byImpl().get(peer);
                if (p == null) {
                    continue;
                }
                any = true;
                double q = ratio(r.conduit(), p);
                ok &= q >= need;
                if (measured.length() > 0) {
                    measured.append(", ");
                }
                measured.append(ratioText(r.conduit(), p)).append(' ').append(NAMES.get(peer));
            }
            if (any) {
                md.append("| ").append(target).append(" | ").append(r.title()).append(" | ").append(measured)
                        .append(" | ").append(met(ok)).append(" |\n");
            }
        }
    }

    private static String met(boolean ok) {
        return ok ? "yes" : "**no**";
    }

    // ---------------------------------------------------------------- formatting

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (a >= 0.01) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.2g", v);
    }

    private static String err(double e) {
        return Double.isNaN(e) ? "n/a" : num(e);
    }

    private static String unitShort(Result r) {
        if (r.unit().equals("ops/us")) {
            return "msg/µs";
        }
        return r.lowerIsBetter() ? r.unit().replace("/op", "").replace("us", "µs") : r.unit().replace("us", "µs");
    }

    static String ratioText(Result conduit, Result peer) {
        double q = ratio(conduit, peer);
        if (Double.isNaN(q)) {
            return "–";
        }
        String s = q >= 10 ? String.format(Locale.ROOT, "%.0f×", q) : String.format(Locale.ROOT, "%.2f×", q);
        return overlaps(conduit, peer) ? "≈ " + s : s;
    }

    private static String alloc(Result r) {
        if (Double.isNaN(r.allocNorm())) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", r.allocNorm())
                + (Double.isNaN(r.allocError()) ? "" : String.format(Locale.ROOT, " ± %.2f", r.allocError())) + " B";
    }
}
