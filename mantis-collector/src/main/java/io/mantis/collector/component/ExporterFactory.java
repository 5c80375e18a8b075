package io.mantis.collector.component;

import io.mantis.collector.ComponentKind;
import io.mantis.collector.Signal;
import java.util.Set;

/** Exporters are created once per id and serve every signal whose pipelines list them. */
public interface ExporterFactory<C extends Record> extends ComponentFactory<C> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.EXPORTER;
    }

    Exporter create(ComponentSettings settings, C config, Set<Signal> signals) throws Exception;
}
