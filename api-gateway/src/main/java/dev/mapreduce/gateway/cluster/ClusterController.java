package dev.mapreduce.gateway.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.gateway.coordinator.CoordinatorClient;
import dev.mapreduce.gateway.openapi.CallsCoordinator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The cluster as users see it: the workers the coordinator knows, and the functions jobs may use. */
@RestController
@Tag(name = "Cluster", description = "the workers, and the functions jobs may use")
class ClusterController {

    /** The function catalogue: fixed at build time, so built once. */
    record Functions(List<MapFunction> mapFunctions, List<Reduce> reduceFunctions) {}

    /** {@code patterns}: ERROR_PATTERN's built-in patterns; absent for the other functions. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MapFunction(String name, String description, List<Parameter> parameters, List<Pattern> patterns) {}

    record Parameter(String name, String description, @JsonProperty("default") String defaultValue) {}

    record Pattern(String name, String regex, String description) {}

    record Reduce(String name, String description) {}

    /** The shape of the coordinator's workers answer, passed on as it comes: for the OpenAPI description. */
    @Schema(description = "The workers the coordinator knows")
    record Workers(List<Worker> workers) {}

    @Schema(description = "A map or reduce worker")
    record Worker(
            @Schema(example = "map-worker-1") String workerId,
            @Schema(allowableValues = {"MAP", "REDUCE"}) String type,
            @Schema(allowableValues = {"ALIVE", "DEAD", "STOPPED"}) String status,
            Instant firstSeen,
            Instant lastHeartbeat,
            long heartbeatAgeMs,
            int runningTasks) {}

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
    @CallsCoordinator
    @Operation(
            summary = "The workers",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            description = "every worker the coordinator knows, with its last heartbeat",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = Workers.class))))
    ResponseEntity<byte[]> workers() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(coordinator.workers());
    }

    @GetMapping("/api/functions")
    @Operation(
            summary = "The map and reduce functions",
            description = "Each with its description and parameters; ERROR_PATTERN with its built-in patterns.",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            description = "the function catalogue",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = Functions.class))))
    Functions functions() {
        return FUNCTIONS;
    }
}
