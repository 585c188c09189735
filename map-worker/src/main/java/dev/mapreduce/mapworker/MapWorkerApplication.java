package dev.mapreduce.mapworker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class MapWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(MapWorkerApplication.class, args);
    }
}
