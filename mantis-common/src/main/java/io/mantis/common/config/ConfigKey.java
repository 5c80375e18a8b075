package io.mantis.common.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the YAML key of a record component (by default its name in snake_case), or the
 * spelling of an enum constant in YAML (by default its name, matched case-insensitively).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface ConfigKey {
    String value();
}
