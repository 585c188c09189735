package dev.mapreduce.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/**
 * A Dockerfile as a list of instructions: continuation lines joined, comments dropped, the leading
 * {@code --flag=value} options of each instruction separated from its arguments.
 */
record Dockerfile(String path, List<Dockerfile.Instruction> instructions) {

    /**
     * One instruction.
     *
     * @param stage the build stage it belongs to (0 for the first FROM)
     * @param arguments the rest of the line after the flags, as written
     */
    record Instruction(int stage, String keyword, Map<String, String> flags, String arguments) {

        /** The arguments in exec (JSON array) form, or split at white space. */
        List<String> words() {
            if (arguments.startsWith("[")) {
                List<?> array = new Yaml().load(arguments);
                return array.stream().map(String::valueOf).toList();
            }
            return List.of(arguments.split("\\s+"));
        }
    }

    static Dockerfile read(String path) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int stage = -1;
        for (String raw : Repository.read(path).split("\n")) {
            String trimmed = raw.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && line.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                line.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            line.append(trimmed);
            Instruction instruction = parse(line.toString().strip(), stage);
            if (instruction.keyword().equals("FROM")) {
                stage++;
                instruction = new Instruction(stage, "FROM", instruction.flags(), instruction.arguments());
            }
            instructions.add(instruction);
            line.setLength(0);
        }
        return new Dockerfile(path, instructions);
    }

    private static Instruction parse(String text, int stage) {
        String[] split = text.split("\\s+", 2);
        String keyword = split[0].toUpperCase(Locale.ROOT);
        String rest = split.length > 1 ? split[1] : "";
        Map<String, String> flags = new LinkedHashMap<>();
        while (rest.startsWith("--")) {
            String[] next = rest.split("\\s+", 2);
            String[] flag = next[0].substring(2).split("=", 2);
            flags.put(flag[0], flag.length > 1 ? flag[1] : "");
            rest = next.length > 1 ? next[1] : "";
        }
        return new Instruction(stage, keyword, flags, rest.strip());
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    int finalStage() {
        return all("FROM").size() - 1;
    }

    /** The last such instruction of the final stage, the one that counts for the image. */
    Optional<Instruction> lastInFinalStage(String keyword) {
        List<Instruction> found =
                all(keyword).stream().filter(i -> i.stage() == finalStage()).toList();
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    /** The image of a stage's FROM, and its name ({@code AS name}), if any. */
    record Stage(String image, String name) {}

    List<Stage> stages() {
        return all("FROM").stream()
                .map(from -> {
                    String[] words = from.arguments().split("\\s+");
                    return new Stage(words[0], words.length == 3 ? words[2] : null);
                })
                .toList();
    }

    /** ENV settings of the final stage, quotes removed. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : all("ENV")) {
            if (i.stage() != finalStage()) {
                continue;
            }
            for (String token : tokens(i.arguments())) {
                String[] kv = token.split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return env;
    }

    /** Splits at white space outside double quotes, removing the quotes. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!token.isEmpty()) {
                    tokens.add(token.toString());
                    token.setLength(0);
                }
            } else {
                token.append(c);
            }
        }
        if (!token.isEmpty()) {
            tokens.add(token.toString());
        }
        return tokens;
    }
}
