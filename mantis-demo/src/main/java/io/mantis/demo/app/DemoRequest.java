package io.mantis.demo.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A request as the demo's handlers see it.
 *
 * @param pathParams the values of the route's {@code {name}} segments
 */
record DemoRequest(String method, String path, Map<String, String> pathParams, byte[] body) {

    /** The body as a JSON object, or a {@link BadRequest} saying why it is not one. */
    JsonNode jsonObject() throws BadRequest {
        if (body.length == 0) {
            throw new BadRequest("a JSON object is required as the request body");
        }
        JsonNode node;
        try {
            node = Reply.JSON.readTree(body);
        } catch (java.io.IOException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new BadRequest("the request body is not valid JSON: " + why);
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest("the request body must be a JSON object");
        }
        return node;
    }

    /** Thrown by handlers for input they reject; answered with 400 and its message. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
