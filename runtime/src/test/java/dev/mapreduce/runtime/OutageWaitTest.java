package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisConnectionException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutageWaitTest {

    private final Cancellation cancellation = new Cancellation();
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void workThatMeetsAnOutageRunsAgainWhenTheServiceIsBack() throws IOException {
        String result = new OutageWait(Duration.ofSeconds(30)).run("job/map-0#1", cancellation, () -> {
            if (runs.incrementAndGet() < 3) {
                throw new ShuffleStoreException("cannot reach Redis", new RedisConnectionException("refused"));
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(runs).hasValue(3);
    }

    @Test
    void aFailureOfTheTaskItselfIsNotWaitedOut() {
        assertThatThrownBy(() -> new OutageWait(Duration.ofSeconds(30)).run("job/map-0#1", cancellation, () -> {
                    runs.incrementAndGet();
                    throw new IOException("not gzip");
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("not gzip");
        assertThat(runs).hasValue(1);
    }

    @Test
    void anOutageLongerThanTheWaitFailsTheAttemptWithIt() {
        assertThatThrownBy(() -> new OutageWait(Duration.ofSeconds(2)).run("job/map-0#1", cancellation, () -> {
                    runs.incrementAndGet();
                    throw new ShuffleStoreException("cannot reach Redis", new RedisConnectionException("refused"));
                }))
                .isInstanceOf(ShuffleStoreException.class);
        assertThat(runs).hasValue(2); // at 0 s and after the first 1 s pause; a 2 s pause would pass the wait
    }

    @Test
    void noWaitFailsAtTheFirstOutage() {
        assertThatThrownBy(() -> new OutageWait(Duration.ZERO).run("job/map-0#1", cancellation, () -> {
                    runs.incrementAndGet();
                    throw new ShuffleStoreException("cannot reach Redis", new RedisConnectionException("refused"));
                }))
                .isInstanceOf(ShuffleStoreException.class);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aCancelledAttemptStopsWaiting() {
        cancellation.cancel("job cancelled");

        assertThatThrownBy(() -> new OutageWait(Duration.ofMinutes(5)).run("job/map-0#1", cancellation, () -> {
                    throw new ShuffleStoreException("cannot reach Redis", new RedisConnectionException("refused"));
                }))
                .isInstanceOf(TaskCancelledException.class)
                .hasMessage("job cancelled");
    }
}
