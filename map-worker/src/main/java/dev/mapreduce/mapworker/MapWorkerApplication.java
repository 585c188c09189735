package dev.mapreduce.mapworker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class MapWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(MapWorkerApplication.class, args);
    }
}
