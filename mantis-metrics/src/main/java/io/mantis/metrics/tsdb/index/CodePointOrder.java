package io.mantis.metrics.tsdb.index;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, which is the byte order of their UTF-8 encoding: the
 * order Prometheus returns label names and values in, and the order of the block index's symbol
 * table. {@link String#compareTo} differs from it only for code points above U+FFFF versus
 * U+E000–U+FFFF (UTF-16 surrogates sort below the latter), which is why it is not used here.
 */
public final class CodePointOrder implements Comparator<String> {

    public static final CodePointOrder INSTANCE = new CodePointOrder();

    private CodePointOrder() {}

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // A surrogate (part of a code point above U+FFFF) must sort above every BMP char.
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }
}
