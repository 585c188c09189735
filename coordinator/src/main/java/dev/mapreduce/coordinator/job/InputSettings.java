package dev.mapreduce.coordinator.job;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where file inputs are and how they are cut into map splits.
 *
 * @param root the folder {@code inputPath} is relative to ({@code MAPREDUCE_INPUT_ROOT}); relative to
 *     the working folder unless absolute. Map workers need the same files under their own root.
 * @param splitSize the largest split of a plain file ({@code MAPREDUCE_INPUT_SPLIT_SIZE}); a map task
 *     may read several
 */
@ConfigurationProperties("mapreduce.coordinator.input")
public record InputSettings(@DefaultValue("data") String root, @DefaultValue("64MB") DataSize splitSize) {

    public InputSettings {
        if (root == null || root.isBlank()) {
            throw new IllegalArgumentException("mapreduce.coordinator.input.root must not be blank");
        }
        if (splitSize.toBytes() < 1) {
            throw new IllegalArgumentException(
                    "mapreduce.coordinator.input.split-size must be positive, got " + splitSize);
        }
    }
}
