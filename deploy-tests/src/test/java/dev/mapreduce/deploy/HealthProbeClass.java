package dev.mapreduce.deploy;

import java.nio.file.Path;

/** The health probe the services' images carry (module common), which their health checks run. */
final class HealthProbeClass {

    static final String NAME = "dev.mapreduce.health.HealthProbe";

    static final String MODULE = "common";

    private HealthProbeClass() {}

    static Path source() {
        return Repository.file(MODULE + "/src/main/java/" + NAME.replace('.', '/') + ".java");
    }

    /** Its entry in a jar. */
    static String entry() {
        return NAME.replace('.', '/') + ".class";
    }
}
