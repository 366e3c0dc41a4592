package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The library's packages depend on each other one way only (STYLE.md, the core notes in
 * {@code dev.conduit.internal}'s package-info): the API on select, select on the flavors, the
 * flavors on the flavor contract ({@code internal}: {@code Flavor}, {@code Token}, {@code Handle},
 * {@code Chan}), and all of them on the waiting protocol ({@code internal.wait}), which depends
 * on nothing of ours. A reference that points back up fails this test with the file and the
 * package it names.
 *
 * <p>Read from the sources (imports and fully qualified names in code, comments removed), so
 * it needs no bytecode library; {@code basedir} is the module directory Surefire runs in.
 */
class LayeringTest {

    /** Rank of each package: a class may use only its own package and packages of lower rank. */
    private static final Map<String, Integer> RANK = Map.of(
            "dev.conduit", 4,
            "dev.conduit.internal.select", 3,
            "dev.conduit.internal.flavor", 2,
            "dev.conduit.internal", 1,
            "dev.conduit.internal.wait", 0);

    private static final Pattern REFERENCE =
            Pattern.compile("\\bdev\\.conduit((?:\\.internal)?(?:\\.(?:wait|flavor|select))?)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    @DisplayName("packages depend one way: API -> select -> flavor -> flavor contract -> wait, never back up")
    void dependenciesPointOneWay() throws IOException {
        Path root = Paths.get(System.getProperty("basedir", ".")).resolve("src/main/java");
        assertThat(root.resolve("dev/conduit/Channels.java")).as("the library's sources").exists();
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path file : (Iterable<Path>) paths.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String pkg = root.relativize(file.getParent()).toString().replace('/', '.');
                if (!RANK.containsKey(pkg)) {
                    continue; // module-info
                }
                files++;
                String code = COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
                Matcher m = REFERENCE.matcher(code);
                while (m.find()) {
                    String used = "dev.conduit" + m.group(1);
                    if (!used.equals(pkg) && RANK.get(used) >= RANK.get(pkg)) {
                        violations.add(root.relativize(file) + " (" + pkg + ") uses " + used);
                    }
                }
            }
        }
        assertThat(files).as("source files checked").isGreaterThan(20);
        assertThat(violations).as("references that point up or sideways").isEmpty();
    }
}
