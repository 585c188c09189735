package dev.mapreduce.redis;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * What to tell an operator when a Redis client (Lettuce) cannot connect. Lettuce wraps the server's
 * answer a few exceptions deep; where Redis refused the credentials, its own words (WRONGPASS,
 * NOAUTH, NOPERM) say more than any wrapper, so those come out with the settings to check.
 */
public final class RedisErrors {

    private RedisErrors() {}

    /**
     * The innermost message of {@code e}'s causes with a hint at {@code REDIS_USERNAME} and
     * {@code REDIS_PASSWORD} when Redis refused the credentials; otherwise {@code e}'s own message.
     */
    public static String reason(Throwable e) {
        Throwable cause = innermost(e);
        String message = String.valueOf(cause.getMessage());
        if (message.contains("WRONGPASS") || message.contains("NOAUTH") || message.contains("NOPERM")) {
            return message + " (check REDIS_USERNAME and REDIS_PASSWORD)";
        }
        return e.getMessage();
    }

    /** The last cause of the chain; a chain that loops back ends before the loop. */
    private static Throwable innermost(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(e);
        Throwable cause = e;
        while (cause.getCause() != null && seen.add(cause.getCause())) {
            cause = cause.getCause();
        }
        return cause;
    }
}
