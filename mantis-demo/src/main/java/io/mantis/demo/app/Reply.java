package io.mantis.demo.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/**
 * An HTTP answer of a demo service: a status and a JSON body.
 */
public record Reply(int status, String json) {
    static final ObjectMapper JSON = new ObjectMapper();

    static Reply of(int status, Object body) {
        try {
            return new Reply(status, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static Reply error(int status, String message) {
        return of(status, Map.of("error", message));
    }

    /** The body parsed, for the shop reading what a downstream service answered. */
    JsonNode body() throws IOException {
        return JSON.readTree(json);
    }
}
