package io.mantis.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
            "0, 0",
            "0B, 0",
            "1B, 1",
            "1KB, 1000",
            "1KiB, 1024",
            "1kb, 1000",
            "1kib, 1024",
            "512MiB, 536870912",
            "512MB, 512000000",
            "2GiB, 2147483648",
            "2GB, 2000000000",
            "1TiB, 1099511627776",
            "1TB, 1000000000000",
            "1.5GiB, 1610612736",
            "1.5KB, 1500",
            "'64 MiB', 67108864",
            "0.5B, 0",
            "8388607TiB, 9223370937343148032",
    })
    void parsesDecimalAndBinaryUnits(String text, long bytes) {
        assertThat(DataSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @Test
    void bareNumberIsRejectedWithAHintAboutTheUnit() {
        assertThatThrownBy(() -> DataSize.parse("512"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a size like 512MiB, got '512' (missing unit: use B, KB, KiB, MB,"
                        + " MiB, GB, GiB, TB or TiB)");
    }

    @Test
    void unknownUnitIsNamed() {
        assertThatThrownBy(() -> DataSize.parse("5M"))
                .hasMessage("expected a size like 512MiB, got '5M' (unknown unit 'M': use B, KB, KiB,"
                        + " MB, MiB, GB, GiB, TB or TiB)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "-1MiB", "1..5MiB", "1.MiB", "1  MiB", " 1MiB", "1MiB ",
            "0x10B", "8388608TiB"})
    void rejectsMalformedInput(String text) {
        assertThatThrownBy(() -> DataSize.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected a size like 512MiB, got '" + text + "'");
    }

    @Test
    void factoriesAndConversions() {
        assertThat(DataSize.ofMebibytes(512).bytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(DataSize.ofKibibytes(3).bytes()).isEqualTo(3072);
        assertThat(DataSize.ofGibibytes(1).toMebibytes()).isEqualTo(1024);
        assertThat(DataSize.ofBytes(1536).toKibibytes()).isEqualTo(1);
        assertThat(DataSize.ofMebibytes(1)).isGreaterThan(DataSize.ofBytes(1_000_000));
        assertThatThrownBy(() -> DataSize.ofBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataSize.ofGibibytes(Long.MAX_VALUE))
                .isInstanceOf(ArithmeticException.class);
    }

    @ParameterizedTest(name = "{0} bytes -> {1}")
    @CsvSource({
            "0, 0B",
            "1, 1B",
            "1500, 1500B",
            "1024, 1KiB",
            "536870912, 512MiB",
            "2000000000, 2GB",
            "1000, 1KB",
            "1610612736, 1536MiB",
    })
    void toStringIsExactAndParsesBack(long bytes, String text) {
        DataSize size = DataSize.ofBytes(bytes);
        assertThat(size).hasToString(text);
        assertThat(DataSize.parse(text)).isEqualTo(size);
    }
}
