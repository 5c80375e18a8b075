package io.mantis.otlp.loki;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelNamesTest {

    @Test
    void dotsAndOtherInvalidCharactersBecomeUnderscores() {
        assertThat(LabelNames.sanitize("service.name")).isEqualTo("service_name");
        assertThat(LabelNames.sanitize("http.request-method")).isEqualTo("http_request_method");
        assertThat(LabelNames.sanitize("a/b c:d")).isEqualTo("a_b_c_d");
        assertThat(LabelNames.sanitize("already_fine_9")).isEqualTo("already_fine_9");
    }

    @Test
    void oneUnderscorePerCodePoint() {
        // U+1F600 is a surrogate pair in Java but one rune for Loki.
        assertThat(LabelNames.sanitize("a\uD83D\uDE00b")).isEqualTo("a_b");
        assertThat(LabelNames.sanitize("caf\u00e9")).isEqualTo("caf_");
    }

    @Test
    void leadingDigitOrSingleUnderscoreGetsAKeyPrefix() {
        assertThat(LabelNames.sanitize("0.label")).isEqualTo("key_0_label");
        assertThat(LabelNames.sanitize("_private")).isEqualTo("key_private");
        assertThat(LabelNames.sanitize(".hidden")).isEqualTo("key_hidden");
        assertThat(LabelNames.sanitize("__reserved")).isEqualTo("__reserved");
        assertThat(LabelNames.sanitize("")).isEmpty();
    }

    @Test
    void validity() {
        assertThat(LabelNames.isValid("service_name")).isTrue();
        assertThat(LabelNames.isValid("_x")).isTrue();
        assertThat(LabelNames.isValid("9x")).isFalse();
        assertThat(LabelNames.isValid("a.b")).isFalse();
        assertThat(LabelNames.isValid("")).isFalse();
    }
}
