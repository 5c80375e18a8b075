package io.mantis.server.config;

import io.mantis.common.config.Endpoint;

/**
 * The section of a role whose engine is not built yet: only where it will listen. Later issues
 * replace each with the role's full configuration record.
 *
 * @param endpoint host:port of the role's HTTP API; when absent, {@code server.host} and the
 *     role's standard port
 */
public record RoleConfig(Endpoint endpoint) {
    public static final RoleConfig DEFAULTS = new RoleConfig(null);
}
