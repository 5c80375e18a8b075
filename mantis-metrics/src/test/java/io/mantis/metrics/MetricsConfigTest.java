package io.mantis.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mantis.common.config.ConfigBinder;
import io.mantis.common.config.ConfigException;
import io.mantis.common.config.ConfigLoader;
import io.mantis.metrics.tsdb.BlockChunkEncoding;
import io.mantis.metrics.tsdb.TsdbOptions;
import io.mantis.metrics.tsdb.chunkenc.Encoding;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsConfigTest {

    private static MetricsConfig bind(String yaml) {
        return ConfigBinder.bind(ConfigLoader.parse(yaml, "test.yaml", Map.of()), MetricsConfig.class,
                MetricsConfig.DEFAULTS);
    }

    @Test
    void blockChunkEncodingDefaultsToDecimalAndTakesXor() {
        assertThat(bind("{}").tsdb().blockChunkEncoding()).isEqualTo(BlockChunkEncoding.DECIMAL);
        assertThat(bind("{}").tsdbOptions().blockChunkEncoding().encoding()).isEqualTo(Encoding.DECIMAL);
        assertThat(TsdbOptions.defaults().blockChunkEncoding()).isEqualTo(BlockChunkEncoding.DECIMAL);

        MetricsConfig xor = bind("tsdb:\n  block_chunk_encoding: xor\n  max_exemplars: 5\n");
        assertThat(xor.tsdb().blockChunkEncoding()).isEqualTo(BlockChunkEncoding.XOR);
        assertThat(xor.tsdb().maxExemplars()).isEqualTo(5);
        assertThat(xor.tsdbOptions().blockChunkEncoding().encoding()).isEqualTo(Encoding.XOR);
        assertThat(xor.tsdbOptions().withRetention(java.time.Duration.ofDays(1), 0).blockChunkEncoding())
                .isEqualTo(BlockChunkEncoding.XOR);
        assertThat(bind("tsdb: {block_chunk_encoding: DECIMAL}").tsdb().blockChunkEncoding())
                .isEqualTo(BlockChunkEncoding.DECIMAL);
    }

    @Test
    void aBadBlockChunkEncodingIsReportedByItsKey() {
        assertThatThrownBy(() -> bind("tsdb:\n  block_chunk_encoding: gorilla\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("block_chunk_encoding")
                .hasMessageContaining("xor");
        assertThatThrownBy(() -> new MetricsConfig.Tsdb(java.time.Duration.ofHours(2), java.time.Duration.ZERO, 0, null))
                .hasMessageContaining("block_chunk_encoding");
    }
}
