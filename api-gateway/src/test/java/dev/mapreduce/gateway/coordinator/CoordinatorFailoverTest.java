package dev.mapreduce.gateway.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mapreduce.gateway.FakeCoordinator;
import dev.mapreduce.protocol.InputGrants;
import dev.mapreduce.protocol.JobRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client against several fake coordinators: it moves on to the next only when it cannot
 * connect, never once connected, and starts from the last one it could connect to.
 */
class CoordinatorFailoverTest {

    static final UUID JOB_ID = UUID.fromString("0b7e6a3c-2f1d-4c5e-9a8b-1c2d3e4f5a6b");
    static final String JOB = "{\"jobId\":\"" + JOB_ID + "\",\"status\":\"RUNNING\"}";
    static final JobRequest REQUEST =
            new JobRequest("word-count-analysis", "application-logs", 4, 2, "WORD_COUNT", "SUM", Map.of(), true);

    final List<AutoCloseable> resources = new ArrayList<>();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger clientLogger = (Logger) LoggerFactory.getLogger(CoordinatorClient.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        clientLogger.addAppender(logs);
    }

    @AfterEach
    void closeEverything() throws Exception {
        clientLogger.detachAppender(logs);
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void whenTheFirstIsStoppedRequestsReachTheSecondAndStayThereUntilItStopsToo() {
        FakeCoordinator first = coordinator();
        FakeCoordinator second = coordinator();
        CoordinatorClient client = client(first.url() + "," + second.url());
        int firstPort = first.port();
        first.close();
        second.answer(201, "application/json", JOB);

        assertThat(client.submitJob(REQUEST, null, InputGrants.ALL).jobId()).isEqualTo(JOB_ID.toString());
        assertThat(second.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/internal/jobs");
        });
        assertThat(infos()).hasSize(3);
        assertThat(infos().get(0))
                .isEqualTo("Coordinators, tried in this order when one cannot be connected to: [" + first.url() + ", "
                        + second.url() + "]");
        assertThat(infos().get(1))
                .startsWith("Cannot connect to the coordinator at " + first.url() + " (submit a job): ConnectException")
                .endsWith("; trying " + second.url());
        assertThat(infos().get(2))
                .isEqualTo("Switched to the coordinator at " + second.url() + ": no connection could be made to "
                        + first.url());

        // the first is back, but calls keep going to the second, which answered last
        FakeCoordinator firstAgain = coordinator(firstPort);
        firstAgain.answer(200, "application/json", "{\"from\":\"first\"}");
        second.answer(200, "application/json", JOB);
        assertThat(text(client.job(JOB_ID))).isEqualTo(JOB);
        assertThat(firstAgain.requests()).isEmpty();
        assertThat(second.requests()).hasSize(2);

        // the second stops: round to the first again
        second.close();
        assertThat(text(client.job(JOB_ID))).isEqualTo("{\"from\":\"first\"}");
        assertThat(firstAgain.requests()).singleElement().satisfies(r -> assertThat(r.path())
                .isEqualTo("/internal/jobs/" + JOB_ID));
    }

    @Test
    void aCancellationReachesTheSecondWhenTheFirstIsStopped() {
        FakeCoordinator first = coordinator();
        FakeCoordinator second = coordinator();
        CoordinatorClient client = client(first.url() + "," + second.url());
        first.close();
        second.answer(200, "application/json", "{\"jobId\":\"" + JOB_ID + "\",\"status\":\"CANCELLED\"}");

        assertThat(text(client.cancelJob(JOB_ID))).contains("CANCELLED");
        assertThat(second.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/internal/jobs/" + JOB_ID + "/cancel");
        });
    }

    @Test
    void aCoordinatorThatCannotBeConnectedToInTimeIsPassedOver() {
        FakeCoordinator second = coordinator();
        second.answer(201, "application/json", JOB);
        // the configured connect timeout is longer than the read timeout: it is cut to half of it
        CoordinatorClient client =
                client(unacceptingUrl() + "," + second.url(), Duration.ofSeconds(10), Duration.ofSeconds(3));

        assertThat(client.submitJob(REQUEST, null, InputGrants.ALL).jobId()).isEqualTo(JOB_ID.toString());

        assertThat(second.requests()).hasSize(1);
        assertThat(infos()).anySatisfy(m -> assertThat(m).contains("HttpConnectTimeoutException"));
    }

    @Test
    void aReadTimeoutOnTheFirstIsA503AndTheSecondIsNeverAsked() {
        FakeCoordinator first = coordinator();
        FakeCoordinator second = coordinator();
        first.hang();
        second.answer(201, "application/json", JOB);
        CoordinatorClient client = client(first.url() + "," + second.url());

        CoordinatorUnavailableException e = catchThrowableOfType(
                CoordinatorUnavailableException.class, () -> client.submitJob(REQUEST, null, InputGrants.ALL));

        assertThat(e.getStatusCode().value()).isEqualTo(503);
        assertThat(e.getBody().getDetail()).isEqualTo("the coordinator did not answer within 2s");
        assertThat(first.requests()).hasSize(1);
        assertThat(second.requests()).isEmpty();
        assertThat(infos()).noneMatch(m -> m.startsWith("Switched"));
    }

    @Test
    void aReadTimeoutAfterSwitchingMakesTheNextCallsStartThere() {
        FakeCoordinator first = coordinator();
        FakeCoordinator second = coordinator();
        CoordinatorClient client = client(first.url() + "," + second.url());
        int firstPort = first.port();
        first.close();
        second.hang();

        catchThrowableOfType(CoordinatorUnavailableException.class, () -> client.job(JOB_ID));
        FakeCoordinator firstAgain = coordinator(firstPort);
        second.answer(200, "application/json", JOB);

        assertThat(text(client.job(JOB_ID))).isEqualTo(JOB);
        assertThat(firstAgain.requests()).isEmpty();
    }

    @Test
    void anyAnswerOfTheFirstIsTheAnswerEvenAnError() {
        FakeCoordinator first = coordinator();
        FakeCoordinator second = coordinator();
        second.answer(201, "application/json", JOB);
        CoordinatorClient client = client(first.url() + "," + second.url());

        first.answer(500, "text/plain", "boom");
        assertThat(catchThrowableOfType(
                                CoordinatorErrorException.class, () -> client.submitJob(REQUEST, null, InputGrants.ALL))
                        .getStatusCode()
                        .value())
                .isEqualTo(502);

        first.answer(503, "application/problem+json", "{\"title\":\"Not the leader\",\"status\":503}");
        assertThat(catchThrowableOfType(
                                ErrorResponseException.class, () -> client.submitJob(REQUEST, null, InputGrants.ALL))
                        .getBody()
                        .getTitle())
                .isEqualTo("Not the leader");

        first.answer(503, "text/html", "<html>bad gateway</html>");
        assertThat(catchThrowableOfType(
                                CoordinatorUnavailableException.class,
                                () -> client.submitJob(REQUEST, null, InputGrants.ALL))
                        .getStatusCode()
                        .value())
                .isEqualTo(503);

        assertThat(first.requests()).hasSize(3);
        assertThat(second.requests()).isEmpty();
    }

    @Test
    void whenNoneCanBeConnectedToItIsA503() {
        FakeCoordinator first = coordinator();
        FakeCoordinator second = coordinator();
        CoordinatorClient client = client(" " + first.url() + " , " + second.url() + "/ ");
        first.close();
        second.close();

        CoordinatorUnavailableException e = catchThrowableOfType(
                CoordinatorUnavailableException.class, () -> client.submitJob(REQUEST, null, InputGrants.ALL));

        assertThat(e.getStatusCode().value()).isEqualTo(503);
        assertThat(e.getBody().getTitle()).isEqualTo("Coordinator unavailable");
        assertThat(e.getBody().getDetail()).isEqualTo("none of the 2 coordinators can be reached");
    }

    @Test
    void aSingleCoordinatorWorksAsBefore() {
        FakeCoordinator only = coordinator();
        only.answer(200, "application/json", JOB);
        CoordinatorClient client = client(only.url());

        assertThat(text(client.job(JOB_ID))).isEqualTo(JOB);
        only.close();
        assertThat(catchThrowableOfType(CoordinatorUnavailableException.class, () -> client.job(JOB_ID))
                        .getBody()
                        .getDetail())
                .isEqualTo("the coordinator cannot be reached");
        assertThat(infos()).isEmpty();
    }

    @Test
    void blanksAndTrailingSlashesInTheListAreIgnored() {
        FakeCoordinator first = coordinator();
        FakeCoordinator second = coordinator();
        second.answer(200, "application/json", JOB);
        CoordinatorClient client = client(" , " + first.url() + "/ ,, " + second.url() + "//,");
        first.close();

        assertThat(text(client.job(JOB_ID))).isEqualTo(JOB);
        assertThat(second.requests()).singleElement().satisfies(r -> assertThat(r.path())
                .isEqualTo("/internal/jobs/" + JOB_ID));
    }

    private FakeCoordinator coordinator() {
        return coordinator(0);
    }

    private FakeCoordinator coordinator(int port) {
        FakeCoordinator coordinator = FakeCoordinator.startOn(port);
        resources.add(coordinator);
        return coordinator;
    }

    private CoordinatorClient client(String urls) {
        return client(urls, Duration.ofMillis(500), Duration.ofSeconds(2));
    }

    private static CoordinatorClient client(String urls, Duration connectTimeout, Duration readTimeout) {
        return new CoordinatorClient(
                RestClient.builder(),
                JsonMapper.builder().build(),
                new CoordinatorProperties(List.of(urls), connectTimeout, readTimeout),
                InternalCredential.none(),
                // never opens here: these tests are about which coordinator a call reaches
                new CoordinatorCircuitBreaker(new CircuitBreakerProperties(100, 100, 100, Duration.ofSeconds(1), 1)));
    }

    /**
     * A local address that takes no connection: a listening socket whose backlog is full and that
     * never accepts, so the kernel drops further connection attempts and they time out.
     */
    private String unacceptingUrl() {
        try {
            ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            resources.add(full);
            for (int i = 0; i < 2; i++) {
                Socket queued = new Socket();
                queued.connect(full.getLocalSocketAddress(), 1000);
                resources.add(queued);
            }
            return "http://127.0.0.1:" + full.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> infos() {
        return logs.list.stream()
                .filter(event -> event.getLevel() == Level.INFO)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
