package dev.mapreduce.runtime.testing;

import java.net.URL;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A service's logging settings (its application.yml) brought up alone, and the lines they write. */
public final class ServiceLogs {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ServiceLogs() {}

    /**
     * The application.yml and logging system on {@code test}'s class path, nothing else. The
     * runtime module's logback-test.xml, on the class path when Maven stops at the test phase, is
     * hidden: a service has none and logs with Spring Boot's own configuration.
     */
    public static ConfigurableApplicationContext start(Class<?> test, String... properties) {
        ClassLoader withoutLogbackTestXml = new ClassLoader(test.getClassLoader()) {
            @Override
            public URL getResource(String name) {
                return name.startsWith("logback-test.") ? null : super.getResource(name);
            }
        };
        return new SpringApplicationBuilder(Nothing.class)
                .resourceLoader(new DefaultResourceLoader(withoutLogbackTestXml))
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .properties(properties)
                .run();
    }

    /** The first captured line that contains {@code text}. */
    public static String lineWith(CapturedOutput output, String text) {
        return output.getOut()
                .lines()
                .filter(line -> line.contains(text))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "' in:\n" + output.getOut()));
    }

    /** {@code line} as one JSON value; anything after it is an error. */
    public static JsonNode json(String line) {
        return STRICT.readTree(line);
    }

    @Configuration(proxyBeanMethods = false)
    static class Nothing {}
}
