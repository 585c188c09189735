package dev.mapreduce.gateway.security;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * At most so many of one kind of long-lived resource (event streams, result downloads) per tenant at
 * once, so that one tenant cannot take a pool all tenants share. Without API keys there are no
 * tenants: {@link Caller#ANONYMOUS} is never limited here, only by the gateway-wide limits.
 */
public final class TenantSlots {

    /** Seconds a refused caller is told to wait. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final String what;
    private final int perTenant;
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    /**
     * @param what the resource in the plural, for the problem detail: "event streams"
     * @param perTenant how many one tenant may hold at once, at least 1
     */
    public TenantSlots(String what, int perTenant) {
        if (perTenant < 1) {
            throw new IllegalArgumentException(what + " per tenant must be at least 1, not " + perTenant);
        }
        this.what = what;
        this.perTenant = perTenant;
    }

    /** One slot held; {@link #close()} gives it back (once, however often it is called). */
    public final class Slot implements AutoCloseable {
        private final String tenant;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String tenant) {
            this.tenant = tenant;
        }

        @Override
        public void close() {
            if (tenant != null && released.compareAndSet(false, true)) {
                held.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    /** A slot for {@code caller}, or empty when its tenant already holds as many as it may. */
    public Optional<Slot> tryAcquire(Caller caller) {
        if (caller.equals(Caller.ANONYMOUS)) {
            return Optional.of(new Slot(null));
        }
        boolean[] granted = {false};
        held.compute(caller.tenant(), (t, n) -> {
            int count = n == null ? 0 : n;
            if (count >= perTenant) {
                return n;
            }
            granted[0] = true;
            return count + 1;
        });
        return granted[0] ? Optional.of(new Slot(caller.tenant())) : Optional.empty();
    }

    /** A slot for {@code caller}, or a 429 problem with {@code Retry-After}. */
    public Slot acquire(Caller caller) {
        return tryAcquire(caller).orElseThrow(() -> tooMany(caller));
    }

    /** How many slots {@code tenant} holds now. */
    public int held(String tenant) {
        return held.getOrDefault(tenant, 0);
    }

    private ErrorResponseException tooMany(Caller caller) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.TOO_MANY_REQUESTS,
                "tenant " + caller.tenant() + " already has " + perTenant + " " + what
                        + " open, the most one tenant may; close one or retry later");
        problem.setTitle("Too many " + what);
        ErrorResponseException e = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS, problem, null);
        e.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        return e;
    }
}
