/**
 * Mantis configuration: one YAML file, read into located nodes and bound onto records.
 *
 * <p>The usual flow at start-up:
 *
 * <pre>{@code
 * ConfigNode builtIn = ConfigLoader.parse(defaultsYaml, "<built-in>", env);
 * ConfigNode user = ConfigLoader.load(Path.of(args[0]), env);      // throws on syntax, env refs
 * ConfigNode root = ConfigLoader.merge(builtIn, user);
 *
 * ConfigProblems problems = new ConfigProblems();
 * ServerConfig server = ConfigBinder.bind(root.getOrEmpty("server"), ServerConfig.class,
 *     ServerConfig.DEFAULTS, problems);
 * MetricsConfig metrics = ConfigBinder.bind(root.getOrEmpty("metrics"), MetricsConfig.class,
 *     MetricsConfig.DEFAULTS, problems);
 * problems.throwIfAny();                                            // all problems, one message
 * }</pre>
 *
 * <p>Every node keeps its file, line, column and key path, so a problem found at any stage, even
 * by a component factory binding its raw {@link io.mantis.common.config.ConfigNode} later, is
 * reported as {@code mantis.yaml:12:14: collector.receivers.otlp.endpoint: ...}.
 */
package io.mantis.common.config;
