package io.mantis.metrics.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodePointOrderTest {

    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void equalsUtf8ByteOrder() {
        Random rnd = new Random(2);
        int[] pool = {'a', 'b', 'Z', 0x7F, 0xE9, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(4);
            for (int k = 0; k < n; k++) {
                sb.appendCodePoint(pool[rnd.nextInt(pool.length)]);
            }
            strings.add(sb.toString());
        }
        for (String a : strings) {
            for (String b : strings) {
                assertThat(Integer.signum(CodePointOrder.INSTANCE.compare(a, b)))
                        .as("%s vs %s", a, b)
                        .isEqualTo(Integer.signum(compareUtf8(a, b)));
            }
        }
        // The case String.compareTo gets wrong.
        assertThat(CodePointOrder.INSTANCE.compare("\uE000", "\uD83D\uDE00")).isNegative();
        assertThat("\uE000".compareTo("\uD83D\uDE00")).isPositive();
    }
}
