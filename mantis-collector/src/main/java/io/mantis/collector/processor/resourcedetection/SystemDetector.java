package io.mantis.collector.processor.resourcedetection;

import io.mantis.collector.model.AnyValues;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code system} detector: {@code host.name} from the first hostname source that answers,
 * {@code os.type} and {@code host.arch} in the semantic conventions' values.
 */
final class SystemDetector implements Detector {
    private final ResourceDetectionConfig.SystemConfig config;
    private final HostInfo host;

    SystemDetector(ResourceDetectionConfig.SystemConfig config, HostInfo host) {
        this.config = config;
        this.host = host;
    }

    @Override
    public String name() {
        return "system";
    }

    @Override
    public List<KeyValue> detect() throws Exception {
        List<KeyValue> out = new ArrayList<>();
        if (config.enabled("host.name")) {
            out.add(AnyValues.kv("host.name", hostname()));
        }
        if (config.enabled("os.type")) {
            out.add(AnyValues.kv("os.type", osType(host.osName())));
        }
        if (config.enabled("host.arch")) {
            out.add(AnyValues.kv("host.arch", hostArch(host.osArch())));
        }
        return out;
    }

    private String hostname() throws Exception {
        Exception last = null;
        for (String source : config.hostnameSources()) {
            try {
                String name = source.equals("dns") ? host.fqdn() : host.osHostname();
                if (name != null && !name.isBlank()) {
                    return name;
                }
            } catch (Exception e) {
                last = e;
            }
        }
        throw new IllegalStateException("no hostname source answered (" + String.join(", ", config.hostnameSources())
                + ")" + (last != null ? ": " + last.getMessage() : ""), last);
    }

    /** The semantic conventions' {@code os.type} for a JVM {@code os.name}. */
    static String osType(String osName) {
        String n = osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("windows")) {
            return "windows";
        } else if (n.startsWith("linux")) {
            return "linux";
        } else if (n.startsWith("mac") || n.startsWith("darwin")) {
            return "darwin";
        } else if (n.startsWith("freebsd")) {
            return "freebsd";
        } else if (n.startsWith("netbsd")) {
            return "netbsd";
        } else if (n.startsWith("openbsd")) {
            return "openbsd";
        } else if (n.startsWith("dragonfly")) {
            return "dragonflybsd";
        } else if (n.startsWith("hp-ux")) {
            return "hpux";
        } else if (n.startsWith("aix")) {
            return "aix";
        } else if (n.startsWith("sunos") || n.startsWith("solaris")) {
            return "solaris";
        } else if (n.startsWith("z/os")) {
            return "z_os";
        }
        return n.replace(' ', '_');
    }

    /** The semantic conventions' {@code host.arch} for a JVM {@code os.arch}. */
    static String hostArch(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64", "x64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm", "arm32", "armv7l" -> "arm32";
            case "x86", "i386", "i486", "i586", "i686" -> "x86";
            case "ia64", "ia64n", "ia64w" -> "ia64";
            case "ppc", "powerpc" -> "ppc32";
            case "ppc64", "ppc64le" -> "ppc64";
            case "s390x" -> "s390x";
            default -> a;
        };
    }
}
