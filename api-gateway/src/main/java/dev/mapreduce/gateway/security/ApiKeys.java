package dev.mapreduce.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured API keys ({@code MAPREDUCE_API_KEYS}), each naming its tenant and whether it is an
 * admin key. Only SHA-256 digests of the keys are kept, and a presented key is compared with every
 * one of them in constant time, so neither the time an answer takes nor a heap dump tells a key.
 * No message of this class ever contains a key.
 */
public final class ApiKeys {

    /** Tenant names end up in the job view ({@code owner}) and in logs: keep them plain. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Visible ASCII without the separators, so that a key fits an HTTP header as it is. */
    private static final Pattern KEY = Pattern.compile("[!-~&&[^:,]]+");
    /** Shorter keys are accepted, with a warning: they can be guessed. */
    static final int RECOMMENDED_KEY_LENGTH = 16;

    private record Entry(byte[] digest, Caller caller) {}

    private final List<Entry> entries;
    private final List<String> shortKeyTenants;

    private ApiKeys(List<Entry> entries, List<String> shortKeyTenants) {
        this.entries = List.copyOf(entries);
        this.shortKeyTenants = List.copyOf(shortKeyTenants);
    }

    /**
     * Parses comma-separated {@code tenant:key} and {@code tenant:key:admin} entries; blanks around
     * entries are ignored, and nothing (or only blanks) means no keys.
     *
     * @throws IllegalArgumentException naming the entry's position and what is wrong with it, never the key
     */
    public static ApiKeys parse(String text) {
        List<Entry> entries = new ArrayList<>();
        List<String> shortKeyTenants = new ArrayList<>();
        Set<String> digests = new LinkedHashSet<>();
        String[] parts = text == null ? new String[0] : text.split(",", -1);
        int position = 0;
        for (String part : parts) {
            String entry = part.strip();
            position++;
            if (entry.isEmpty()) {
                continue;
            }
            String[] fields = entry.split(":", -1);
            if (fields.length < 2 || fields.length > 3 || (fields.length == 3 && !fields[2].equals("admin"))) {
                throw invalid(position, "it must be tenant:key or tenant:key:admin");
            }
            String tenant = fields[0];
            String key = fields[1];
            if (!TENANT.matcher(tenant).matches()) {
                throw invalid(
                        position,
                        "the tenant must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            if (!KEY.matcher(key).matches()) {
                throw invalid(
                        position,
                        "the key of tenant '" + tenant + "' is empty or holds a character other than"
                                + " visible ASCII (no spaces, ':' or ',')");
            }
            byte[] digest = sha256(key);
            if (!digests.add(new String(digest, StandardCharsets.ISO_8859_1))) {
                throw invalid(
                        position, "the key of tenant '" + tenant + "' is listed before; each key names one tenant");
            }
            if (key.length() < RECOMMENDED_KEY_LENGTH) {
                shortKeyTenants.add(tenant);
            }
            entries.add(new Entry(digest, new Caller(tenant, fields.length == 3)));
        }
        return new ApiKeys(entries, shortKeyTenants);
    }

    /** Whether keys are configured, so that every {@code /api/**} call needs one. */
    public boolean enabled() {
        return !entries.isEmpty();
    }

    /** The caller a presented key belongs to; empty for no key or an unknown one. */
    public Optional<Caller> find(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Caller found = null;
        // every entry is compared, found or not, so the time taken does not say which one matched
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The distinct tenants with a key, in the configured order. */
    public List<String> tenants() {
        return entries.stream().map(e -> e.caller().tenant()).distinct().toList();
    }

    /** How many keys are configured. */
    public int size() {
        return entries.size();
    }

    /** Tenants with a key shorter than {@value #RECOMMENDED_KEY_LENGTH} characters. */
    List<String> shortKeyTenants() {
        return shortKeyTenants;
    }

    private static IllegalArgumentException invalid(int position, String reason) {
        return new IllegalArgumentException("mapreduce.gateway.api-keys (MAPREDUCE_API_KEYS): entry " + position
                + " is not a valid API key entry: " + reason
                + " (comma-separated tenant:key or tenant:key:admin entries)");
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
