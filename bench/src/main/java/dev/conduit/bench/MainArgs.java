package dev.conduit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The command line shared by the measuring mains run after JMH ({@link IdleCpu}, {@link ExactAlloc}):
 * {@code [out.properties] [impl...]}, and the properties file they write for {@link Report}.
 */
record MainArgs(Path out, List<String> impls) {

    /** Parses {@code args}; {@code defaults} are the implementations when none is named. */
    static MainArgs parse(String[] args, List<String> defaults) {
        Path out = args.length > 0 ? Path.of(args[0]) : null;
        List<String> impls = args.length > 1 ? List.of(Arrays.copyOfRange(args, 1, args.length)) : defaults;
        return new MainArgs(out, impls);
    }

    /** Writes {@code props} to the output file, if one was named. */
    void write(CharSequence props) throws IOException {
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, props);
        }
    }
}
