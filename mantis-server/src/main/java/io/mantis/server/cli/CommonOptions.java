package io.mantis.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes, before or after the command name. */
public final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration laid over the built-in one (see `mantis default-config`).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the embedded stores (default: server.data_dir, ./data).")
    Path dataDir;

    /** This command's value where given, else the parent's. */
    CommonOptions orElse(CommonOptions parent) {
        CommonOptions o = new CommonOptions();
        o.config = config != null ? config : parent == null ? null : parent.config;
        o.dataDir = dataDir != null ? dataDir : parent == null ? null : parent.dataDir;
        return o;
    }
}
