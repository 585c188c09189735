package dev.mapreduce.gateway.input;

import dev.mapreduce.engine.input.ObjectPath;
import dev.mapreduce.gateway.security.Caller;
import dev.mapreduce.gateway.security.TenantInputs;
import dev.mapreduce.protocol.InputGrants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the caller may read: its tenant's input grants ({@code MAPREDUCE_INPUT_GRANTS}), or
 * everything for an admin key and for every caller of a gateway without keys. It says nothing of
 * which inputs exist, nor of other tenants' grants.
 */
@RestController
@Tag(name = "Cluster", description = "the workers, and the functions jobs may use")
class InputsController {

    @Schema(description = "The inputs the caller's jobs may read")
    record Inputs(
            @Schema(description = "the caller's tenant", example = "acme") String tenant,
            @Schema(
                            description =
                                    "true: every topic, path and bucket (an admin key, or a gateway without keys);"
                                            + " the lists are then empty")
                    boolean all,
            @Schema(description = "topic name patterns; * matches any characters", example = "[\"acme-*\"]")
                    List<String> topics,
            @Schema(description = "folders under the input root, each with everything below it", example = "[\"acme\"]")
                    List<String> paths,
            @Schema(
                            description = "object store prefixes, each with everything below it",
                            example = "[\"s3://lake/acme\"]")
                    List<String> objects) {}

    private final TenantInputs inputs;

    InputsController(TenantInputs inputs) {
        this.inputs = inputs;
    }

    @GetMapping("/api/inputs")
    @Operation(
            summary = "The inputs the caller may read",
            description = "The caller's input grants. A job over an input outside them is answered as one over a"
                    + " missing input (422), so this is the place to look when a submit says an input does not exist.",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            description = "the caller's grants",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = Inputs.class))))
    Inputs inputs(HttpServletRequest request) {
        Caller caller = Caller.of(request);
        InputGrants grants = inputs.of(caller);
        return new Inputs(
                caller.tenant(),
                grants.all(),
                grants.topics(),
                grants.paths(),
                grants.objects().stream().map(ObjectPath::toString).toList());
    }
}
