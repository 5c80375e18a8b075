package io.mantis.collector.component;

import io.mantis.common.lifecycle.Component;

/** A receiver, processor or exporter instance: a lifecycle component of the collector. */
public interface CollectorComponent extends Component {
}
