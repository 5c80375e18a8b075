package io.mantis.collector.processor.resourcedetection;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the system detector asks the host; tests substitute their own answers. */
interface HostInfo {
    /** The host name the OS reports. */
    String osHostname() throws Exception;

    /** The fully qualified domain name, from the resolver (hosts file, then DNS). */
    String fqdn() throws Exception;

    /** The JVM's {@code os.name}, e.g. "Linux", "Mac OS X", "Windows 11". */
    String osName();

    /** The JVM's {@code os.arch}, e.g. "amd64", "aarch64". */
    String osArch();

    static HostInfo local() {
        return new HostInfo() {
            @Override
            public String osHostname() throws Exception {
                // The kernel's name, without a resolver lookup; elsewhere the JDK's (which may resolve).
                Path kernel = Path.of("/proc/sys/kernel/hostname");
                if (Files.isReadable(kernel)) {
                    String name = Files.readString(kernel).strip();
                    if (!name.isEmpty()) {
                        return name;
                    }
                }
                String env = System.getenv("COMPUTERNAME");
                return env != null && !env.isBlank() ? env : InetAddress.getLocalHost().getHostName();
            }

            @Override
            public String fqdn() throws Exception {
                InetAddress local = InetAddress.getLocalHost();
                String name = local.getCanonicalHostName();
                if (name.equals(local.getHostAddress())) {
                    throw new IllegalStateException("no name resolves for " + local.getHostAddress());
                }
                return name;
            }

            @Override
            public String osName() {
                return System.getProperty("os.name", "");
            }

            @Override
            public String osArch() {
                return System.getProperty("os.arch", "");
            }
        };
    }
}
