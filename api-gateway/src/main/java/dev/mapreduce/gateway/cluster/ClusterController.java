package dev.mapreduce.gateway.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.gateway.coordinator.CoordinatorClient;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The cluster as users see it: the workers the coordinator knows, and the functions jobs may use. */
@RestController
class ClusterController {

    /** The function catalogue: fixed at build time, so built once. */
    record Functions(List<MapFunction> mapFunctions, List<Reduce> reduceFunctions) {}

    /** {@code patterns}: ERROR_PATTERN's built-in patterns; absent for the other functions. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MapFunction(String name, String description, List<Parameter> parameters, List<Pattern> patterns) {}

    record Parameter(String name, String description, @JsonProperty("default") String defaultValue) {}

    record Pattern(String name, String regex, String description) {}

    record Reduce(String name, String description) {}

    static final Functions FUNCTIONS = new Functions(
            FunctionCatalogue.mapFunctions().stream()
                    .map(f -> new MapFunction(
                            f.name(),
                            f.description(),
                            f.parameterDetails().stream()
                                    .map(p -> new Parameter(p.name(), p.description(), p.defaultValue()))
                                    .toList(),
                            f.name().equals("ERROR_PATTERN")
                                    ? FunctionCatalogue.errorPatterns().stream()
                                            .map(p -> new Pattern(p[0], p[1], p[2]))
                                            .toList()
                                    : null))
                    .toList(),
            Arrays.stream(ReduceFunction.values())
                    .map(f -> new Reduce(f.name(), f.description()))
                    .toList());

    private final CoordinatorClient coordinator;

    ClusterController(CoordinatorClient coordinator) {
        this.coordinator = coordinator;
    }

    @GetMapping("/api/workers")
    ResponseEntity<byte[]> workers() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(coordinator.workers());
    }

    @GetMapping("/api/functions")
    Functions functions() {
        return FUNCTIONS;
    }
}
