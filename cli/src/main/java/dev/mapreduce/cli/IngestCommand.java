package dev.mapreduce.cli;

import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.engine.input.ReadCounter;
import dev.mapreduce.protocol.KafkaClientConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mr ingest}: puts every line of log files into a Kafka topic, one record per line. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Puts every line of log files into a Kafka topic, one record per line.",
            "",
            "No key; the value is the line's bytes without its terminator. Lines are split exactly as 'mr local'"
                    + " splits them (\\n, \\r or \\r\\n; .gz files decompressed; a folder means the files directly in"
                    + " it), and every line is sent, empty ones too, so a job on the topic counts the same records and"
                    + " malformed records as 'mr local' on the same files. A line of 64 MiB or more, which 'mr local'"
                    + " skips and counts as malformed, is sent as an empty record, which a job counts the same way.",
            "",
            "Creates the topic if it is missing, allowing records up to 65 MiB. A topic that exists is used as it is,"
                    + " whatever its partition count; a line longer than it accepts stops the ingest with an error.",
            "",
            "With --format, each record's Kafka timestamp is its event time, read from the format's timestamp field,"
                    + " so a job's from/to select by when events happened; a line without a readable time takes the"
                    + " time of the line before it (lines before the first time take that time), so a time-ordered log"
                    + " stays in time order; such lines are counted and the first is shown. A format with multi-line events"
                    + " (log4j) sends each event as one record; the header line of a csv file is not sent.",
        })
final class IngestCommand implements Callable<Integer> {

    private static final int MIB = 1 << 20;
    /** Created topics accept any line the engine reads ({@link InputSplit#MAX_LINE_BYTES}), with room for batch overhead. */
    private static final int TOPIC_MAX_MESSAGE_BYTES = InputSplit.MAX_LINE_BYTES + MIB;
    /** Room for the record batch and record headers when checking a line against a topic's limit. */
    private static final int RECORD_OVERHEAD = 1024;

    private static final byte[] EMPTY = new byte[0];

    /** Lines without a time before the first line with one that wait for its time; past them, the ingest time. */
    private static final int LEADING_UNTIMED = 10_000;

    private static final String CLIENT_ID = "mr-ingest";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-b", "--bootstrap-servers"},
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092).")
    String bootstrapServers;

    @Mixin
    KafkaClientOptions kafkaOptions;

    @Option(
            names = {"-t", "--topic"},
            defaultValue = "application-logs",
            paramLabel = "TOPIC",
            description = "Topic to write to (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(
            names = {"-p", "--partitions"},
            paramLabel = "N",
            description = "Partitions of the topic when it has to be created (default 1).")
    Integer partitions;

    @Option(
            names = "--replication-factor",
            paramLabel = "N",
            description = "Replication factor of the topic when it has to be created (default: the broker's"
                    + " default.replication.factor, so that a cluster with min.insync.replicas=2 gets a topic it can"
                    + " write to).")
    Short replicationFactor;

    @Option(names = "--create-only", description = "Only create the topic if it is missing; read no files.")
    boolean createOnly;

    @Option(
            names = "--if-empty",
            description =
                    "Ingest only when the topic holds no records yet (so running twice does not double the data).")
    boolean ifEmpty;

    @Option(
            names = "--timeout",
            defaultValue = "15",
            paramLabel = "SECONDS",
            description = "How long to wait for the broker before giving up (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "NAME|JSON|@FILE",
            description =
                    "The lines' format, whose timestamp field becomes each record's Kafka timestamp (see 'mr local"
                            + " --help'); without it records get the ingest time.")
    String format;

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show the bytes and lines sent, the rate and an ETA on stderr, on one line redrawn in place"
                    + " (default: only when stderr is a terminal).")
    Boolean progress;

    @Parameters(paramLabel = "FILE|FOLDER", arity = "0..*", description = "Log files, or folders of them.")
    List<Path> inputs = List.of();

    @Override
    public Integer call() throws IOException {
        requirePositive("--partitions", partitions == null ? 1 : partitions);
        if (replicationFactor != null) {
            requirePositive("--replication-factor", replicationFactor);
        }
        requirePositive("--timeout", timeoutSeconds);
        if (inputs.isEmpty() && !createOnly) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'FILE|FOLDER'");
        }
        try {
            Topic.validate(topic);
        } catch (InvalidTopicException e) {
            throw new ParameterException(spec.commandLine(), "invalid --topic: " + e.getMessage());
        }
        EventTimes times = format == null ? null : EventTimes.of(FormatOption.parse(format, Map.of()));
        List<Path> files = FileSplitter.listFiles(inputs);
        List<InputSplit> splits = FileSplitter.split(files, 1);
        String servers = servers();
        PrintWriter out = spec.commandLine().getOut();
        int topicPartitions;
        int topicMaxBytes;
        KafkaClientConfig kafka = kafkaOptions.config(servers);
        Map<String, Object> adminConfig = kafka.build(
                "admin client",
                Map.of(
                        CommonClientConfigs.CLIENT_ID_CONFIG,
                        CLIENT_ID,
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        Long.toString(timeoutMillis()),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        Long.toString(timeoutMillis())),
                Map.of());
        Admin admin = kafkaOptions.create(kafka, () -> Admin.create(adminConfig));
        try {
            topicPartitions = ensureTopic(admin);
            topicMaxBytes = whenReady(() -> maxMessageBytes(admin));
            // Asking every partition's leader for its offsets also waits until the leaders of a topic created a
            // moment ago serve it: an idempotent producer's first batch refused then can lose records
            long records = recordCount(admin, topicPartitions);
            if (ifEmpty && records > 0) {
                out.printf("topic %s already holds %d records; ingesting nothing (--if-empty)%n", topic, records);
                return 0;
            }
        } finally {
            admin.close(Duration.ofSeconds(2)); // calls still pending after a failure are abandoned
        }
        if (createOnly) {
            out.printf("topic %s is ready (%s)%n", topic, plural(topicPartitions, "partition"));
            return 0;
        }
        long started = System.nanoTime();
        long lines;
        ReadCounter counter = new ReadCounter();
        try (ReadProgress shown = ReadProgress.start(
                "mr ingest", spec.commandLine().getErr(), progress, counter, ReadProgress.totalBytes(files))) {
            lines = produce(kafka, splits, topicMaxBytes, times, shown.on() ? counter : null);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String unit = times != null && times.events() ? "events" : "lines";
        out.printf(
                "ingested %d %s into %s (%s) in %.3f s (%.0f %s/s)%n",
                lines,
                unit,
                topic,
                plural(topicPartitions, "partition"),
                seconds,
                lines / Math.max(seconds, 1e-9),
                unit);
        if (times != null) {
            out.printf(
                    "event time from field %s of format %s: %d of %d %s; %d took the time of the line before them%s%n",
                    times.field(),
                    times.format(),
                    lines - times.without(),
                    lines,
                    unit,
                    times.without(),
                    times.firstWithout() == null ? "" : " (first: " + times.firstWithout() + ")");
        }
        return 0;
    }

    /** Creates the topic if it is missing; returns its partition count. */
    private int ensureTopic(Admin admin) {
        Integer existing = partitionCount(admin);
        if (existing == null) {
            NewTopic newTopic = new NewTopic(
                            topic,
                            Optional.of(partitions == null ? 1 : partitions),
                            Optional.ofNullable(replicationFactor))
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(TOPIC_MAX_MESSAGE_BYTES)));
            try {
                await(admin.createTopics(List.of(newTopic)).all());
                spec.commandLine()
                        .getErr()
                        .printf(
                                "mr ingest: created topic %s (%s)%n",
                                topic, plural(newTopic.numPartitions(), "partition"));
                return newTopic.numPartitions();
            } catch (TopicExistsException raced) {
                existing = partitionCount(admin);
            }
        }
        if (partitions != null && partitions.intValue() != existing) {
            spec.commandLine()
                    .getErr()
                    .printf(
                            "mr ingest: topic %s already exists with %s, not %d; using it as it is%n",
                            topic, plural(existing, "partition"), partitions);
        }
        return existing;
    }

    private Integer partitionCount(Admin admin) {
        try {
            return await(admin.describeTopics(List.of(topic)).topicNameValues().get(topic))
                    .partitions()
                    .size();
        } catch (UnknownTopicOrPartitionException missing) {
            return null;
        }
    }

    private int maxMessageBytes(Admin admin) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        var entry = await(admin.describeConfigs(List.of(resource)).values().get(resource))
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        return entry == null || entry.value() == null ? TOPIC_MAX_MESSAGE_BYTES : Integer.parseInt(entry.value());
    }

    private long recordCount(Admin admin, int partitionCount) {
        Function<OffsetSpec, Map<TopicPartition, Long>> offsets = which -> {
            Map<TopicPartition, OffsetSpec> request = IntStream.range(0, partitionCount)
                    .boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> which));
            return await(admin.listOffsets(request).all()).entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().offset()));
        };
        Map<TopicPartition, Long> earliest = whenReady(() -> offsets.apply(OffsetSpec.earliest()));
        Map<TopicPartition, Long> latest = whenReady(() -> offsets.apply(OffsetSpec.latest()));
        return latest.entrySet().stream()
                .mapToLong(e -> e.getValue() - earliest.getOrDefault(e.getKey(), 0L))
                .sum();
    }

    /**
     * Retries a call that a topic created a moment ago can fail (its partitions have no leader yet,
     * or not every broker knows it), until {@code --timeout}.
     */
    private <T> T whenReady(Supplier<T> call) {
        long deadline = System.nanoTime() + timeoutMillis() * 1_000_000L;
        while (true) {
            try {
                return call.get();
            } catch (UnknownTopicOrPartitionException | IllegalStateException e) {
                Throwable cause = e instanceof IllegalStateException ? e.getCause() : e;
                boolean notReady = cause instanceof UnknownTopicOrPartitionException
                        || cause instanceof org.apache.kafka.common.errors.LeaderNotAvailableException
                        || cause instanceof org.apache.kafka.common.errors.NotLeaderOrFollowerException;
                if (!notReady || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
            }
        }
    }

    private long produce(
            KafkaClientConfig kafka, List<InputSplit> splits, int topicMaxBytes, EventTimes times, ReadCounter counter)
            throws IOException {
        String servers = kafka.bootstrapServers();
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(CommonClientConfigs.CLIENT_ID_CONFIG, CLIENT_ID);
        defaults.put(ProducerConfig.ACKS_CONFIG, "all");
        defaults.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        defaults.put(ProducerConfig.LINGER_MS_CONFIG, "15");
        defaults.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        defaults.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        defaults.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(TOPIC_MAX_MESSAGE_BYTES + MIB));
        defaults.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L * MIB));
        defaults.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeoutMillis()));
        Map<String, Object> config = kafka.build("producer", defaults, Map.of());
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] sent = {0};
        try (KafkaProducer<byte[], byte[]> producer = kafkaOptions.create(
                kafka, () -> new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()))) {
            Records records = new Records(producer, failure, sent);
            for (InputSplit split : splits) {
                LineSource input = counter == null ? split : counter.counting(split);
                long[] lineNumber = {0};
                LineHandler handler = new LineHandler() {
                    private Locator locator;

                    @Override
                    public void line(byte[] buf, int off, int len) {
                        lineNumber[0]++;
                        if (len + RECORD_OVERHEAD > topicMaxBytes) {
                            throw new IllegalStateException(String.format(
                                    "%s %d of %s is %d bytes, more than topic %s accepts (max.message.bytes=%d);"
                                            + " %d were sent before it",
                                    times != null && times.events() ? "event" : "line",
                                    lineNumber[0],
                                    split.file(),
                                    len,
                                    topic,
                                    topicMaxBytes,
                                    sent[0]));
                        }
                        byte[] value = len == 0 ? EMPTY : Arrays.copyOfRange(buf, off, off + len);
                        if (times == null) {
                            records.send(value, null);
                        } else {
                            records.timed(value, times.millis(buf, off, len, locator));
                        }
                    }

                    @Override
                    public void oversizedLine() {
                        lineNumber[0]++;
                        if (times == null) {
                            records.send(EMPTY, null);
                        } else {
                            records.timed(EMPTY, times.millis(EMPTY, 0, 0, locator));
                        }
                    }

                    @Override
                    public void locator(Locator locator) {
                        this.locator = locator;
                    }

                    @Override
                    public void header(byte[] buf, int off, int len) {
                        times.header(buf, off, len); // names the columns; the header itself is not sent
                    }
                };
                if (times == null) {
                    input.forEachLine(handler);
                } else {
                    input.forEachRecord(times.eventStart(), times.header(), handler);
                }
            }
            records.flushLeading(null); // no line had a time: they keep the ingest time
            producer.flush();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException(
                    "cannot reach Kafka at " + servers + " within " + timeoutSeconds + " s (" + e.getMessage() + ")");
        }
        if (failure.get() != null) {
            throw sendFailed(failure.get(), sent[0]);
        }
        return sent[0];
    }

    private IllegalStateException sendFailed(Exception cause, long attempted) {
        return new IllegalStateException(
                "sending to topic " + topic + " failed (" + attempted + " lines attempted): " + cause.getMessage(),
                cause);
    }

    private <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(timeoutMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(cause);
            }
            if (cause instanceof RuntimeException runtime
                    && (cause instanceof UnknownTopicOrPartitionException || cause instanceof TopicExistsException)) {
                throw runtime;
            }
            throw new IllegalStateException("Kafka at " + servers() + ": " + cause.getMessage(), cause);
        }
    }

    private IllegalStateException unreachable(Throwable cause) {
        return new IllegalStateException(
                "cannot reach Kafka at " + servers() + " within " + timeoutSeconds + " s"
                        + (cause == null ? "" : " (" + cause.getMessage() + ")"),
                cause);
    }

    private String servers() {
        if (bootstrapServers != null) {
            return bootstrapServers;
        }
        String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        return env == null || env.isBlank() ? "127.0.0.1:9092" : env;
    }

    private long timeoutMillis() {
        return TimeUnit.SECONDS.toMillis(timeoutSeconds);
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private void requirePositive(String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
        }
    }

    /**
     * Sends the records, in order. With --format, a line without a time takes the time of the line before it, so a
     * time-ordered log keeps its records' timestamps in order and a job's from/to (offsets looked up by time) selects
     * exactly the lines of its range; the lines before the first time wait for it (past {@link #LEADING_UNTIMED} of
     * them, or when no line has a time, they keep the ingest time).
     */
    private final class Records {

        private final KafkaProducer<byte[], byte[]> producer;
        private final AtomicReference<Exception> failure;
        private final long[] sent;
        private final List<byte[]> leading = new ArrayList<>();
        private Long lastTime;

        Records(KafkaProducer<byte[], byte[]> producer, AtomicReference<Exception> failure, long[] sent) {
            this.producer = producer;
            this.failure = failure;
            this.sent = sent;
        }

        void timed(byte[] value, Long time) {
            if (time != null) {
                lastTime = time;
                flushLeading(time);
                send(value, time);
            } else if (lastTime != null) {
                send(value, lastTime);
            } else {
                leading.add(value);
                if (leading.size() >= LEADING_UNTIMED) {
                    flushLeading(null);
                }
            }
        }

        void flushLeading(Long time) {
            for (byte[] value : leading) {
                send(value, time);
            }
            leading.clear();
        }

        void send(byte[] value, Long timestamp) {
            Exception earlier = failure.get();
            if (earlier != null) {
                throw sendFailed(earlier, sent[0]);
            }
            producer.send(new ProducerRecord<>(topic, null, timestamp, null, value), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
            sent[0]++;
        }
    }
}
