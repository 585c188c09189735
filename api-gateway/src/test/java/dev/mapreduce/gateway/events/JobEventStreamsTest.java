package dev.mapreduce.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.gateway.security.Caller;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The leak that made JobEventsIT wait in vain for its streams to close: a stream whose client is
 * gone fails its write, and then completing its emitter throws too (Spring's async dispatch after
 * the container has already seen the error). The stream must still be forgotten, its tenant's slot
 * given back, and the keep-alive must go on running for every later stream.
 */
class JobEventStreamsTest {

    static final int PER_TENANT = 2;

    final Caller acme = new Caller("acme", false);
    final List<GoneClient> emitters = new ArrayList<>();
    JobEventStreams streams;

    /** An emitter whose client has gone: every write fails, and so does completing it. */
    static final class GoneClient extends SseEmitter {
        volatile boolean gone;
        volatile boolean completed;
        volatile int writes;

        GoneClient(long timeout) {
            super(timeout);
        }

        @Override
        public void send(SseEventBuilder builder) throws IOException {
            writes++;
            if (gone) {
                throw new IOException("Broken pipe");
            }
        }

        @Override
        public void complete() {
            if (gone) {
                throw new IllegalStateException("Calling [asyncDispatch()] is not valid in Async state [MUST_ERROR]");
            }
            completed = true;
        }

        @Override
        public void completeWithError(Throwable ex) {
            complete();
        }
    }

    JobEventStreams streams(Duration keepAlive) {
        EventsProperties properties = new EventsProperties(
                1000, PER_TENANT, Duration.ofMillis(200), keepAlive, Duration.ofMinutes(30), Duration.ofSeconds(30));
        // list streams never call the coordinator
        streams = new JobEventStreams(null, JsonMapper.builder().build(), properties, new JobEvents(null, properties)) {
            @Override
            SseEmitter newEmitter(long timeoutMillis) {
                GoneClient emitter = new GoneClient(timeoutMillis);
                emitters.add(emitter);
                return emitter;
            }
        };
        return streams;
    }

    @AfterEach
    void shutDown() {
        streams.destroy();
    }

    @Test
    void aGoneClientWhoseEmitterThrowsOnCompletionGivesItsStreamAndSlotBackAtTheNextKeepAlive() {
        streams(Duration.ofHours(1));
        streams.followList(acme);
        streams.followList(acme);
        assertThat(catchThrowableOfType(ErrorResponseException.class, () -> streams.followList(acme))
                        .getStatusCode()
                        .value())
                .isEqualTo(429);

        emitters.forEach(e -> e.gone = true);
        streams.keepAlive();

        assertThat(streams.openStreams()).isZero();
        streams.followList(acme);
        streams.followList(acme);
        assertThat(streams.openStreams()).isEqualTo(PER_TENANT);
    }

    @Test
    void theKeepAliveGoesOnAfterAStreamThatFailedBadly() {
        streams(Duration.ofMillis(50));
        streams.followList(acme);
        emitters.get(0).gone = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.openStreams() == 0);

        // a client that goes later is found by a later keep-alive: the periodic task still runs
        streams.followList(acme);
        GoneClient later = emitters.get(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> later.writes >= 2);
        later.gone = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.openStreams() == 0);
    }

    @Test
    void streamsEndedWhenChangesWereMissedAreForgottenEvenIfCompletingThemThrows() {
        streams(Duration.ofHours(1));
        streams.followList(acme);
        streams.followList(acme);
        emitters.forEach(e -> e.gone = true);

        streams.changesMissed();

        assertThat(streams.openStreams()).isZero();
        streams.followList(acme);
    }

    @Test
    void stoppingEndsEveryStreamBeforeTheServerWaitsForThemAndRefusesNewOnes() {
        streams(Duration.ofHours(1));
        streams.followList(acme);
        streams.followList(new Caller("globex", false));

        streams.stop();

        assertThat(emitters).allSatisfy(e -> assertThat(e.completed).isTrue());
        assertThat(streams.openStreams()).isZero();
        assertThat(catchThrowableOfType(ErrorResponseException.class, () -> streams.followList(acme))
                        .getStatusCode()
                        .value())
                .isEqualTo(503);
    }
}
