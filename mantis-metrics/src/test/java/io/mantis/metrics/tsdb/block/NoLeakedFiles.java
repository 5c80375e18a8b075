package io.mantis.metrics.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves file descriptors open on test files: counts /proc/self/fd entries
 * pointing into JUnit temporary directories before and after each test (skipped without /proc).
 */
public final class NoLeakedFiles implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLeakedFiles.class);

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        List<String> before = BlockTesting.openTestFiles();
        context.getStore(NS).put("before", before == null ? -1 : before.size());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        int before = context.getStore(NS).get("before", Integer.class);
        List<String> after = BlockTesting.openTestFiles();
        if (before < 0 || after == null) {
            return;
        }
        assertThat(after).as("file descriptors left open on test files").hasSizeLessThanOrEqualTo(before);
    }
}
