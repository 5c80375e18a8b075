package io.mantis.common.http;

import java.util.List;

/** A component that opens ports; the server lists them in its start-up table. */
public interface HasListeners {
    List<HttpListener> listeners();
}
