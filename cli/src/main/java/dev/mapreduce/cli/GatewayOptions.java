package dev.mapreduce.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every command that talks to the gateway needs: where it is, and the key it wants. */
final class GatewayOptions {

    static final String DEFAULT_URL = "http://127.0.0.1:8090";
    static final String GATEWAY_ENV = "MR_GATEWAY";
    static final String API_KEY_ENV = "MR_API_KEY";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--gateway",
            paramLabel = "URL",
            description = "The gateway's address (default: $" + GATEWAY_ENV + ", else " + DEFAULT_URL + ").")
    String gateway;

    // Never shown anywhere: no ${DEFAULT-VALUE} in the description, not in any message.
    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            description = "API key, sent as the X-API-Key header (default: $" + API_KEY_ENV
                    + "; prefer it, as command lines are visible to other users).")
    String apiKey;

    GatewayClient client() {
        return new GatewayClient(url(), apiKey);
    }

    private URI url() {
        String where = "invalid gateway URL '" + gateway + "' (--gateway or $" + GATEWAY_ENV + "): ";
        try {
            URI uri = new URI(gateway);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new ParameterException(command.commandLine(), where + "expected http://HOST:PORT");
            }
            if (uri.getHost() == null) {
                throw new ParameterException(command.commandLine(), where + "no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ParameterException(command.commandLine(), where + e.getMessage());
        }
    }

    /** Fills {@code --gateway} and {@code --api-key} from the environment when they are not given. */
    static CommandLine.IDefaultValueProvider defaults(Map<String, String> environment) {
        return (ArgSpec arg) -> {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            return switch (option.longestName()) {
                case "--gateway" -> nonBlank(environment.get(GATEWAY_ENV), DEFAULT_URL);
                case "--api-key" -> nonBlank(environment.get(API_KEY_ENV), null);
                default -> null;
            };
        };
    }

    private static String nonBlank(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value.strip();
    }
}
