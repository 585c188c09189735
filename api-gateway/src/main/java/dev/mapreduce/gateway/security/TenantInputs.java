package dev.mapreduce.gateway.security;

import dev.mapreduce.protocol.InputGrants;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The inputs each tenant may read ({@code MAPREDUCE_INPUT_GRANTS}): comma-separated
 * {@code tenant:topic:<pattern>}, {@code tenant:path:<folder>} and {@code tenant:s3:s3://<bucket>/<prefix>}
 * entries. A caller with an admin key, and every caller of a gateway without keys, reads
 * everything; a tenant without an entry reads nothing. The coordinator enforces them: the gateway
 * sends the caller's grants with each submit ({@link InputGrants#HEADER}).
 */
public final class TenantInputs {

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Map<String, InputGrants> grants;

    private TenantInputs(Map<String, InputGrants> grants) {
        this.grants = Collections.unmodifiableMap(new LinkedHashMap<>(grants));
    }

    /**
     * @throws IllegalArgumentException naming the entry's position and what is wrong with it
     */
    public static TenantInputs parse(String text) {
        Map<String, List<String>> byTenant = new LinkedHashMap<>();
        String[] parts = text == null ? new String[0] : text.split(",", -1);
        int position = 0;
        for (String part : parts) {
            String entry = part.strip();
            position++;
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String tenant = colon < 0 ? entry : entry.substring(0, colon);
            if (colon < 0 || !TENANT.matcher(tenant).matches()) {
                throw invalid(position, "it must start with a tenant name and a ':'");
            }
            byTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(entry.substring(colon + 1));
        }
        Map<String, InputGrants> grants = new LinkedHashMap<>();
        byTenant.forEach((tenant, entries) -> {
            try {
                grants.put(tenant, InputGrants.parse(String.join(",", entries)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mapreduce.gateway.input-grants (MAPREDUCE_INPUT_GRANTS): tenant '"
                        + tenant + "': " + e.getMessage());
            }
        });
        return new TenantInputs(grants);
    }

    /** What {@code caller} may read: everything for an admin, its tenant's grants otherwise (none if it has none). */
    public InputGrants of(Caller caller) {
        return caller.admin() ? InputGrants.ALL : grants.getOrDefault(caller.tenant(), InputGrants.NONE);
    }

    /** The tenants with at least one grant, in the order the setting names them. */
    public List<String> tenants() {
        return List.copyOf(grants.keySet());
    }

    private static IllegalArgumentException invalid(int position, String reason) {
        return new IllegalArgumentException(
                "mapreduce.gateway.input-grants (MAPREDUCE_INPUT_GRANTS): entry "
                        + position + " is not a valid input grant: " + reason
                        + " (comma-separated tenant:topic:<pattern>, tenant:path:<folder> or tenant:s3:s3://<bucket>/<prefix>)");
    }
}
