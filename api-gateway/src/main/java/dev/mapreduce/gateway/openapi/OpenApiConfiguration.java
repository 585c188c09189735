package dev.mapreduce.gateway.openapi;

import dev.mapreduce.protocol.JobStatus;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}): what the
 * API is, the {@code X-API-Key} scheme, the {@code Problem} every error answers, and the answers
 * operations give whatever they do: 401, 413 and 429 from the filters in front of every
 * {@code /api/**} call, 502 and 503 for those that call the coordinator ({@link CallsCoordinator}).
 * The controllers describe their own answers; every 4xx and 5xx is given the {@code Problem} body
 * here, so they need only say when it happens.
 *
 * <p>The components are filled in after springdoc has built the description: it replaces the
 * components of the {@link OpenAPI} bean with the schemas it generates.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String API_KEY = "ApiKey";
    static final String PROBLEM = "Problem";
    private static final String FIELD_ERROR = "FieldError";
    private static final String JOB_STATUS = "JobStatus";
    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    @Bean
    OpenAPI gatewayOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("MapReduce gateway API")
                        .version("v1")
                        .description("Submit log-analysis jobs, follow them and read their results. Errors are"
                                + " RFC 9457 problem details (application/problem+json). When the gateway has API"
                                + " keys configured (MAPREDUCE_API_KEYS), every /api call needs one in the"
                                + " X-API-Key header; a tenant sees only its own jobs.")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                API_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("X-API-Key")
                                        .description("tenant API key; needed only when the gateway has keys")))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY));
    }

    /** 502 and 503 on the operations whose handler calls the coordinator. */
    @Bean
    OperationCustomizer coordinatorProblems() {
        return (operation, handler) -> {
            if (handler.hasMethodAnnotation(CallsCoordinator.class)) {
                ApiResponses responses = responses(operation);
                responses.putIfAbsent(
                        "502",
                        new ApiResponse()
                                .description("the coordinator failed to handle the call, or answered against its"
                                        + " contract; what it said is logged, not shown"));
                responses.putIfAbsent(
                        "503",
                        new ApiResponse()
                                .description("the coordinator cannot answer now: unreachable, too slow, or its circuit"
                                        + " breaker is open")
                                .addHeaderObject("Retry-After", header("whole seconds to wait, when known")));
            }
            return operation;
        };
    }

    /** The schemas of every error, the filters' answers, and job ids. */
    @Bean
    OpenApiCustomizer commonProblems() {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components
                    .addSchemas(PROBLEM, problemSchema())
                    .addSchemas(FIELD_ERROR, fieldErrorSchema())
                    .addSchemas(JOB_STATUS, jobStatusSchema()));
            // springdoc models what the handlers return, which is not what they send: those are described
            components.getSchemas().keySet().removeAll(List.of("SseEmitter", "StreamingResponseBody"));
            // a property given as a reference keeps the type of its Java field beside it, which says nothing
            components.getSchemas().values().forEach(OpenApiConfiguration::dropTypesBesideReferences);
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                ApiResponses responses = responses(operation);
                responses.putIfAbsent(
                        "401",
                        new ApiResponse()
                                .description("no X-API-Key, or an unknown one, while the gateway has keys")
                                .addHeaderObject("WWW-Authenticate", header("ApiKey")));
                responses.putIfAbsent("413", new ApiResponse().description("a request body over 1 MiB"));
                responses.putIfAbsent(
                        "429",
                        new ApiResponse()
                                .description("over the rate limit of the caller's tenant (or client address)")
                                .addHeaderObject("Retry-After", header("whole seconds to wait, at least 1")));
                responses.forEach((status, response) -> {
                    if (status.charAt(0) == '4' || status.charAt(0) == '5') {
                        response.setContent(new Content()
                                .addMediaType(
                                        PROBLEM_JSON,
                                        new MediaType()
                                                .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
                    }
                });
                describeJobId(operation);
            }));
        };
    }

    private static void dropTypesBesideReferences(Schema<?> schema) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().values().stream()
                .filter(property -> property.get$ref() != null)
                .forEach(property -> {
                    property.setType(null);
                    property.setTypes(null);
                });
    }

    private static ApiResponses responses(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        return operation.getResponses();
    }

    /** A job id that is not a canonical UUID names no job: a 404, so it is documented, not enforced. */
    private static void describeJobId(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        operation.getParameters().stream()
                .filter(p -> "path".equals(p.getIn()) && "jobId".equals(p.getName()))
                .forEach(p -> {
                    p.setDescription("the job's id, a UUID as POST /api/jobs answered it");
                    p.setSchema(new StringSchema().format("uuid"));
                });
    }

    private static Header header(String description) {
        return new Header().description(description).schema(new StringSchema());
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("An RFC 9457 problem detail. Validation problems (400, 422) name each wrong field in"
                        + " errors; conflicts about a job's state (409) say it in jobStatus.")
                .addProperty(
                        "type",
                        new StringSchema()
                                .format("uri-reference")
                                ._default("about:blank")
                                .description("the problem type; absent, or about:blank, when the status and title"
                                        + " say it all"))
                .addProperty("title", new StringSchema().description("a short summary, such as Invalid job"))
                .addProperty("status", new IntegerSchema().description("the HTTP status"))
                .addProperty("detail", new StringSchema().description("what went wrong this time, for people"))
                .addProperty(
                        "instance", new StringSchema().format("uri-reference").description("the path that was called"))
                .addProperty(
                        "errors",
                        new ArraySchema()
                                .items(new Schema<>().$ref("#/components/schemas/" + FIELD_ERROR))
                                .description("every wrong field or parameter at once"))
                .addProperty(
                        "jobStatus",
                        new Schema<>()
                                .$ref("#/components/schemas/" + JOB_STATUS)
                                .description("the status of the job a 409 is about"))
                .required(List.of("title", "status"));
    }

    private static Schema<?> fieldErrorSchema() {
        return new ObjectSchema()
                .description("One wrong field, and why")
                .addProperty(
                        "field",
                        new StringSchema()
                                .description("the field or parameter, such as numMappers, parameters.pattern.X or"
                                        + " format.pattern")
                                .example("numMappers"))
                .addProperty("message", new StringSchema().example("must be between 1 and 1024"))
                .addProperty(
                        "line",
                        new IntegerSchema()
                                .minimum(BigDecimal.ZERO)
                                .description("for query: the line of the query text the error is at (1-based; 0"
                                        + " for the query as a whole)"))
                .addProperty(
                        "column",
                        new IntegerSchema()
                                .minimum(BigDecimal.ZERO)
                                .description("for query: the column of that line (1-based; 0 for the query as a"
                                        + " whole)"))
                .required(List.of("field", "message"));
    }

    private static Schema<?> jobStatusSchema() {
        StringSchema status = new StringSchema();
        status.setEnum(Arrays.stream(JobStatus.values()).map(Enum::name).toList());
        return status.description("A job's status: COMPLETED is success; COMPLETED, FAILED and CANCELLED are final");
    }
}
