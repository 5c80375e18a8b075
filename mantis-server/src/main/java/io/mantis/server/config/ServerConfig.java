package io.mantis.server.config;

import io.mantis.common.config.ConfigValueException;
import java.time.Duration;

/**
 * The {@code server:} section: settings of the process as a whole.
 *
 * @param host the address every listener binds to unless its own {@code endpoint} names one;
 *     127.0.0.1 keeps Mantis private to this machine, 0.0.0.0 exposes it on all interfaces
 * @param dataDir where the embedded stores keep their files ({@code --data-dir} overrides it)
 * @param shutdownTimeout the most a stop (SIGTERM) may take: pipelines flush and stores close in it
 */
public record ServerConfig(String host, String dataDir, Duration shutdownTimeout) {
    public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", "./data", Duration.ofSeconds(30));

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new ConfigValueException("host", "must name an address such as 127.0.0.1 or 0.0.0.0");
        }
        if (dataDir == null || dataDir.isBlank()) {
            throw new ConfigValueException("data_dir", "must name a directory");
        }
        if (shutdownTimeout == null || shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
            throw new ConfigValueException("shutdown_timeout", "must be a positive duration such as 30s");
        }
    }
}
