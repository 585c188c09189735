package dev.mapreduce.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * An independent, deliberately plain implementation of the built-in jobs, to check the engine
 * against: the whole file in memory, a byte loop for lines, a strict UTF-8 decoder, Jackson's tree
 * model for JSON, java.util.regex for text lines and tokens, and a {@code HashMap}. Shares no code
 * with the engine.
 */
public final class NaiveLogJob {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern TEXT =
            Pattern.compile("^([^ ]+) ([^ ]+) \\[([^\\]]*)\\](.*?) - (.*)$", Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern DURATION = Pattern.compile("(?<![A-Za-z0-9_])([0-9]{1,18}) ?ms(?![A-Za-z0-9_])");

    /** The four fields of a valid record. */
    public record Fields(String timestamp, String level, String service, String message) {}

    /** Counts of the job plus how many lines were read and were malformed. */
    public record Result(Map<String, long[]> partials, long lines, long malformed) {}

    private NaiveLogJob() {}

    /** Lines split on \n, \r and \r\n, as BufferedReader does, but on bytes. */
    public static List<byte[]> lines(byte[] data) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < data.length) {
            byte c = data[i];
            if (c == '\n' || c == '\r') {
                lines.add(Arrays.copyOfRange(data, start, i));
                i += c == '\r' && i + 1 < data.length && data[i + 1] == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < data.length) {
            lines.add(Arrays.copyOfRange(data, start, data.length));
        }
        return lines;
    }

    /** The fields of a valid line, or null if it is malformed. */
    public static Fields parse(byte[] line) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        String trimmed = text.stripLeading();
        if (trimmed.isEmpty()) {
            return null;
        }
        if (trimmed.charAt(0) == '{') {
            try {
                JsonNode node = JSON.readTree(text);
                if (!node.isObject()) {
                    return null;
                }
                String[] values = new String[4];
                String[] names = {"timestamp", "level", "service", "message"};
                for (int f = 0; f < 4; f++) {
                    JsonNode v = node.get(names[f]);
                    if (v == null || !v.isString()) {
                        return null;
                    }
                    values[f] = v.asString();
                }
                return new Fields(values[0], values[1], values[2], values[3]);
            } catch (RuntimeException e) {
                return null;
            }
        }
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        return new Fields(m.group(1), m.group(2), m.group(3), m.group(5));
    }

    /**
     * Runs a job the plain way: {@code map} is WORD_COUNT, SERVICE_DISTRIBUTION, LEVEL_COUNT or
     * LATENCY; values are kept as (sum, count, min, max).
     */
    public static Result run(Path file, String map) throws IOException {
        Map<String, long[]> partials = new HashMap<>();
        long lines = 0;
        long malformed = 0;
        for (byte[] line : lines(Files.readAllBytes(file))) {
            lines++;
            Fields r = parse(line);
            if (r == null) {
                malformed++;
                continue;
            }
            switch (map) {
                case "WORD_COUNT" -> {
                    Matcher m = TOKEN.matcher(r.message());
                    while (m.find()) {
                        add(partials, m.group().toLowerCase(Locale.ROOT), 1);
                    }
                }
                case "SERVICE_DISTRIBUTION" -> add(partials, r.service(), 1);
                case "LEVEL_COUNT" -> add(partials, r.level(), 1);
                case "LATENCY" -> {
                    Matcher m = DURATION.matcher(r.message());
                    if (m.find()) {
                        add(partials, r.service(), Long.parseLong(m.group(1)));
                    }
                }
                default -> throw new IllegalArgumentException(map);
            }
        }
        return new Result(partials, lines, malformed);
    }

    private static void add(Map<String, long[]> partials, String key, long value) {
        long[] p = partials.computeIfAbsent(key, k -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
        p[0] += value;
        p[1]++;
        p[2] = Math.min(p[2], value);
        p[3] = Math.max(p[3], value);
    }

    /** "key\tvalue" rows of a result for a reduce function, sorted by the keys' UTF-8 bytes. */
    public static List<String> rows(Result result, String reduce) {
        List<Map.Entry<String, long[]>> entries =
                new ArrayList<>(result.partials().entrySet());
        entries.sort((x, y) -> Arrays.compareUnsigned(
                x.getKey().getBytes(StandardCharsets.UTF_8), y.getKey().getBytes(StandardCharsets.UTF_8)));
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : entries) {
            long[] p = e.getValue();
            String value =
                    switch (reduce) {
                        case "SUM" -> Long.toString(p[0]);
                        case "COUNT" -> Long.toString(p[1]);
                        case "MIN" -> Long.toString(p[2]);
                        case "MAX" -> Long.toString(p[3]);
                        case "AVG" ->
                            new java.math.BigDecimal(p[0])
                                    .divide(new java.math.BigDecimal(p[1]), 6, java.math.RoundingMode.HALF_EVEN)
                                    .stripTrailingZeros()
                                    .toPlainString();
                        default -> throw new IllegalArgumentException(reduce);
                    };
            rows.add(e.getKey() + "\t" + value);
        }
        return rows;
    }
}
