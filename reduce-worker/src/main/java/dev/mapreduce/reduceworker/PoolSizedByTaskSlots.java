package dev.mapreduce.reduceworker;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Sizes the worker's connection pool from its task slots ({@link ReduceWorkerProperties#dbPoolSize()}),
 * so raising {@code TASK_SLOTS} never leaves running tasks waiting for a connection. An explicit
 * {@code spring.datasource.hikari.maximum-pool-size} ({@code SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE}) wins.
 */
class PoolSizedByTaskSlots implements BeanPostProcessor {

    static final String EXPLICIT_POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";

    private final Environment environment;

    PoolSizedByTaskSlots(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            Binder binder = Binder.get(environment);
            if (!binder.bind(EXPLICIT_POOL_SIZE, Integer.class).isBound()) {
                pool.setMaximumPoolSize(binder.bindOrCreate("mapreduce", ReduceWorkerProperties.class)
                        .dbPoolSize());
            }
        }
        return bean;
    }
}
