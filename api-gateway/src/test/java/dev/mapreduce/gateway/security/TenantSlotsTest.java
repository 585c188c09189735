package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

class TenantSlotsTest {

    final TenantSlots slots = new TenantSlots("result streams", 2);
    final Caller acme = new Caller("acme", false);
    final Caller globex = new Caller("globex", true);

    @Test
    void aTenantHoldsUpToItsCapAndTheNextIsA429WithRetryAfter() {
        slots.acquire(acme);
        slots.acquire(acme);

        assertThat(slots.tryAcquire(acme)).isEmpty();
        ErrorResponseException refused = catchThrowableOfType(ErrorResponseException.class, () -> slots.acquire(acme));
        assertThat(refused.getStatusCode().value()).isEqualTo(429);
        assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(refused.getBody().getDetail()).contains("tenant acme already has 2 result streams open");
        assertThat(slots.held("acme")).isEqualTo(2);
    }

    @Test
    void oneTenantAtItsCapLeavesTheOthersTheirs() {
        slots.acquire(acme);
        slots.acquire(acme);

        assertThat(slots.tryAcquire(globex)).isPresent();
        assertThat(slots.tryAcquire(globex)).isPresent();
        assertThat(slots.tryAcquire(globex)).isEmpty();
    }

    @Test
    void aSlotIsGivenBackOnceHoweverOftenItIsClosed() {
        TenantSlots.Slot first = slots.acquire(acme);
        slots.acquire(acme);

        first.close();
        first.close();

        assertThat(slots.held("acme")).isEqualTo(1);
        assertThat(slots.tryAcquire(acme)).isPresent();
        assertThat(slots.tryAcquire(acme)).isEmpty();
    }

    @Test
    void withoutKeysThereAreNoTenantsToCap() {
        for (int i = 0; i < 10; i++) {
            assertThat(slots.tryAcquire(Caller.ANONYMOUS)).isPresent();
        }
        assertThat(slots.held("anonymous")).isZero();
    }

    @Test
    void theCapIsAtLeastOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TenantSlots("event streams", 0));
    }
}
