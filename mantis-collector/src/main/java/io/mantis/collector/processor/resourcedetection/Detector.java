package io.mantis.collector.processor.resourcedetection;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/** One source of resource attributes, asked once when the processor starts. */
interface Detector {
    String name();

    /** The attributes detected; throws when detection fails, which skips this detector only. */
    List<KeyValue> detect() throws Exception;
}
