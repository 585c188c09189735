package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker's report of how an attempt ended waits out Kafka being unreachable (a broker restart),
 * as the attempt's work does, instead of being lost: a lost SUCCEEDED has the coordinator run the
 * finished attempt again.
 */
class ReportOutageIT {

    @BeforeAll
    static void topics() {
        try (Admin admin = KafkaSetup.admin(TestKafka.bootstrapServers(), Duration.ofSeconds(30))) {
            KafkaSetup.ensureTopicsAndGroups(admin, Duration.ofSeconds(30));
        }
    }

    @Test
    void aSucceededReportReachesKafkaOnceItIsBack() throws Exception {
        UUID job = UUID.randomUUID();
        TaskEvent succeeded = TaskEvent.succeeded(
                TaskConsumerIT.task(job, 3), "report-outage-worker", new AttemptCounters(1, 0, 1, 1, 10, 0, 0));
        try (UnreachableKafka kafka = new UnreachableKafka(TestKafka.bootstrapServers());
                KafkaMessages worker = new KafkaMessages(kafka.address(), "report-outage-it", Duration.ofSeconds(1));
                TaskEvents events = new TaskEvents(TestKafka.bootstrapServers())) {
            // Kafka comes back 4 s into the report, after several one-second sends failed
            CompletableFuture.runAsync(kafka::comeBack, CompletableFuture.delayedExecutor(4, TimeUnit.SECONDS));
            worker.report(succeeded, new OutageWait(Duration.ofSeconds(60)), new Cancellation());

            assertThat(kafka.refused())
                    .as("connections refused while Kafka was away")
                    .isPositive();
            assertThat(events.awaitEvent(job, 3, 1, TaskEvent.Kind.SUCCEEDED))
                    .extracting(TaskEvent::kind)
                    .containsExactly(TaskEvent.Kind.SUCCEEDED);
        }
    }

    /**
     * Kafka's address as the worker knows it: refuses every connection until {@link #comeBack},
     * then forwards each to the broker (whose metadata then names the broker itself).
     */
    static final class UnreachableKafka implements AutoCloseable {
        private final ServerSocket server;
        private final String brokerHost;
        private final int brokerPort;
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "unreachable-kafka");
            t.setDaemon(true);
            return t;
        });
        private volatile boolean back;
        private volatile int refused;

        UnreachableKafka(String bootstrapServers) throws IOException {
            String broker = bootstrapServers.split(",")[0];
            brokerHost = broker.substring(0, broker.lastIndexOf(':'));
            brokerPort = Integer.parseInt(broker.substring(broker.lastIndexOf(':') + 1));
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            threads.execute(this::accept);
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        void comeBack() {
            back = true;
        }

        int refused() {
            return refused;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    if (!back) {
                        refused++;
                        client.setSoLinger(true, 0); // a reset, as from a stopped broker's port
                        client.close();
                        continue;
                    }
                    Socket broker = new Socket(brokerHost, brokerPort);
                    threads.execute(() -> pipe(client, broker));
                    threads.execute(() -> pipe(broker, client));
                } catch (IOException e) {
                    // closed
                }
            }
        }

        private static void pipe(Socket from, Socket to) {
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // either side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}
