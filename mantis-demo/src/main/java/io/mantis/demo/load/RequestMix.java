package io.mantis.demo.load;

import io.mantis.demo.app.ShopService;
import java.util.EnumMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What the load generator asks the shop for, and how often: mostly reads and orders, with the share
 * of mistakes and failures a real service sees (unknown users, invalid input, slow pages, errors).
 */
public final class RequestMix {

    /** The kinds of request, each with its weight in the standard mix (the weights sum to 100). */
    public enum Kind {
        LIST_USERS(18, "GET", 200),
        GET_USER(20, "GET", 200),
        GET_UNKNOWN_USER(4, "GET", 404),
        CREATE_USER(8, "POST", 201),
        CREATE_INVALID_USER(4, "POST", 400),
        ORDER(30, "GET", 200),
        SLOW(6, "GET", 200),
        ERROR(4, "GET", 500),
        HEALTH(6, "GET", 200);

        private final int weight;
        private final String method;
        private final int usualStatus;

        Kind(int weight, String method, int usualStatus) {
            this.weight = weight;
            this.method = method;
            this.usualStatus = usualStatus;
        }

        public int weight() {
            return weight;
        }

        public String method() {
            return method;
        }

        /** The status the shop answers when nothing random happens. */
        public int usualStatus() {
            return usualStatus;
        }
    }

    /** One request to send: path relative to the shop's base URL, and a JSON body or null. */
    public record Planned(Kind kind, String method, String path, String body) {
    }

    private static final String[] INVALID_BODIES = {
        "{\"name\":\"\",\"email\":\"nobody@example.com\"}",
        "{\"name\":\"Mallory\"}",
        "{\"name\":\"Mallory\",\"email\":\"not-an-address\"}",
        "{\"name\": \"Mallory\", \"email\": ",
        "[\"not\", \"an\", \"object\"]"};
    private static final String[] FIRST = {"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi",
        "Ivan", "Judy"};

    private final Kind[] table;

    private RequestMix(Map<Kind, Integer> weights) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        if (total <= 0) {
            throw new IllegalArgumentException("a request mix needs a positive weight");
        }
        table = new Kind[total];
        int i = 0;
        for (Map.Entry<Kind, Integer> e : weights.entrySet()) {
            for (int n = 0; n < e.getValue(); n++) {
                table[i++] = e.getKey();
            }
        }
    }

    /** The standard mix: each kind at its {@link Kind#weight() weight}. */
    public static RequestMix standard() {
        Map<Kind, Integer> w = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            w.put(k, k.weight);
        }
        return new RequestMix(w);
    }

    /** A mix of the given kinds only, with the given weights. */
    public static RequestMix of(Map<Kind, Integer> weights) {
        return new RequestMix(new EnumMap<>(weights));
    }

    /** Draws the next request. */
    public Planned next(RandomGenerator random) {
        Kind k = table[random.nextInt(table.length)];
        return switch (k) {
            case LIST_USERS -> new Planned(k, "GET", "/api/users", null);
            case GET_USER -> new Planned(k, "GET", "/api/users/" + (1 + random.nextInt(ShopService.SEEDED_USERS)),
                    null);
            case GET_UNKNOWN_USER -> new Planned(k, "GET", "/api/users/" + (900_000 + random.nextInt(100_000)), null);
            case CREATE_USER -> {
                String name = FIRST[random.nextInt(FIRST.length)];
                int n = random.nextInt(100_000);
                yield new Planned(k, "POST", "/api/users", "{\"name\":\"" + name + " " + n + "\",\"email\":\""
                        + name.toLowerCase(java.util.Locale.ROOT) + n + "@example.com\"}");
            }
            case CREATE_INVALID_USER -> new Planned(k, "POST", "/api/users",
                    INVALID_BODIES[random.nextInt(INVALID_BODIES.length)]);
            case ORDER -> new Planned(k, "GET", "/api/orders", null);
            case SLOW -> new Planned(k, "GET", "/api/slow", null);
            case ERROR -> new Planned(k, "GET", "/api/error", null);
            case HEALTH -> new Planned(k, "GET", "/health", null);
        };
    }
}
