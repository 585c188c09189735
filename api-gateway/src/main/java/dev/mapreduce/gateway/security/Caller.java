package dev.mapreduce.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/**
 * Who is calling: the tenant its API key belongs to, and whether that key is an admin key (sees
 * every tenant's jobs). With no keys configured every caller is the admin {@link #ANONYMOUS}.
 * The API key filter puts it on the request; controllers read it with {@link #of}.
 */
public record Caller(String tenant, boolean admin) {

    /** The caller when the gateway has no API keys configured. */
    public static final Caller ANONYMOUS = new Caller("anonymous", true);

    static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        Objects.requireNonNull(tenant, "tenant");
    }

    /** The caller of {@code request}, as the API key filter found it ({@link #ANONYMOUS} if none ran). */
    public static Caller of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller caller ? caller : ANONYMOUS;
    }

    /** Records the caller of {@code request}. */
    public static void set(HttpServletRequest request, Caller caller) {
        request.setAttribute(ATTRIBUTE, caller);
    }

    /** Whether this caller may see a job owned by {@code owner} (null for jobs from before tenants). */
    public boolean maySee(String owner) {
        return admin || tenant.equals(owner);
    }
}
