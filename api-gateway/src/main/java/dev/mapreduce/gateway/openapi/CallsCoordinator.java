package dev.mapreduce.gateway.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler that calls the coordinator, so its OpenAPI operation lists the answers every such
 * call can give: 502 (the coordinator failed) and 503 (it cannot answer now).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CallsCoordinator {}
