package dev.mapreduce.gateway.openapi;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What is wrong with an OpenAPI description, as swagger-parser sees it with every reference
 * resolved, plus every {@code $ref} to a component the description does not hold.
 */
final class OpenApiValidation {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OpenApiValidation() {}

    /** swagger-parser's messages on {@code document}, read with internal references checked and resolved fully. */
    static List<String> parserMessages(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        List<String> messages = new ArrayList<>(result.getMessages() == null ? List.of() : result.getMessages());
        if (result.getOpenAPI() == null) {
            messages.add("not an OpenAPI description");
        }
        return messages;
    }

    /** Every local {@code $ref} (such as {@code #/components/schemas/Problem}) that names nothing in {@code document}. */
    static List<String> missingReferences(String document) {
        JsonNode root = JSON.readTree(document);
        List<String> missing = new ArrayList<>();
        collect(root, root, missing);
        return missing;
    }

    private static void collect(JsonNode root, JsonNode node, List<String> missing) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString()) {
                String target = ref.stringValue();
                if (!target.startsWith("#/") || root.at(target.substring(1)).isMissingNode()) {
                    missing.add(target);
                }
            }
            node.values().forEach(child -> collect(root, child, missing));
        } else if (node.isArray()) {
            node.values().forEach(child -> collect(root, child, missing));
        }
    }
}
