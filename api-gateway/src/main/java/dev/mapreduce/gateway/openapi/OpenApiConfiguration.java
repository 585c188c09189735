package dev.mapreduce.gateway.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}): what the
 * API is, the {@code X-API-Key} scheme, and the answers every {@code /api/**} operation can give
 * whatever it does (401, 413, 429, 503), so the controllers only describe their own.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String API_KEY = "ApiKey";
    private static final String PROBLEM = "Problem";

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
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                API_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("X-API-Key")
                                        .description("tenant API key; needed only when the gateway has keys"))
                        .addSchemas(PROBLEM, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY));
    }

    /** The answers the filters and the circuit breaker give, added to every operation. */
    @Bean
    OpenApiCustomizer commonProblems() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                var responses = operation.getResponses();
                responses.putIfAbsent(
                        "401",
                        problem("no X-API-Key, or an unknown one, while the gateway has keys")
                                .addHeaderObject("WWW-Authenticate", header("ApiKey")));
                responses.putIfAbsent("413", problem("a request body over 1 MiB"));
                responses.putIfAbsent(
                        "429",
                        problem("over the rate limit of the caller's tenant (or client address)")
                                .addHeaderObject("Retry-After", header("whole seconds to wait, at least 1")));
                responses.putIfAbsent(
                        "503",
                        problem("the coordinator cannot answer now (unreachable, too slow, or its circuit"
                                        + " breaker is open)")
                                .addHeaderObject("Retry-After", header("whole seconds to wait, when known")));
            }));
        };
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                "application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    private static Header header(String description) {
        return new Header().description(description).schema(new StringSchema());
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem detail; some carry more fields, such as errors")
                .addProperty("type", new StringSchema())
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema());
    }
}
