package dev.mapreduce.reduceworker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ReduceWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReduceWorkerApplication.class, args);
    }
}
