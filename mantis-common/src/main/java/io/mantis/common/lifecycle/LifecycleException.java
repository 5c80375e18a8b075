package io.mantis.common.lifecycle;

/** Start-up failed or the component graph is invalid (unknown dependency, cycle, duplicate id). */
public final class LifecycleException extends RuntimeException {
    public LifecycleException(String message) {
        super(message);
    }

    public LifecycleException(String message, Throwable cause) {
        super(message, cause);
    }
}
