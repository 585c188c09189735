package dev.mapreduce.engine.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    static final Timestamps.Context UTC =
            new Timestamps.Context(ZoneOffset.UTC, null, Instant.parse("2026-06-01T00:00:00Z"));

    static long micros(String pattern, String text, Timestamps.Context context) {
        byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        return Timestamps.parser(List.of(pattern), context).epochMicros(b, 2, b.length - 4);
    }

    static long micros(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "2026-11-20T08:15:30.123Z|2026-11-20T08:15:30.123Z",
                "2026-11-20T08:15:30Z|2026-11-20T08:15:30Z",
                "2026-11-20 08:15:30,747|2026-11-20T08:15:30.747Z",
                "2026-11-20T08:15:30.123456789+02:00|2026-11-20T06:15:30.123456Z",
                "2026-11-20T08:15:30-0530|2026-11-20T13:45:30Z",
                "2026-11-20T08:15:30+01|2026-11-20T07:15:30Z",
                "2026-11-20T08:15|2026-11-20T08:15:00Z",
                "2026-11-20|2026-11-20T00:00:00Z",
                "1969-12-31T23:59:59.5Z|1969-12-31T23:59:59.5Z",
                "2024-02-29T12:00:00Z|2024-02-29T12:00:00Z",
            })
    void iso8601ReadsTheUsualForms(String text, String expected) {
        assertThat(micros("ISO8601", text, UTC)).isEqualTo(micros(expected));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-20T24:00:00Z", "2026-11-20T08:15:30.Z",
                "2026-11-20T08:15:30X", "2026-11-20T08:15:30+25:00", "20261120", "2026-11-20T08", "-"
            })
    void iso8601RefusesWhatIsNotOne(String text) {
        assertThat(micros("ISO8601", text, UTC)).isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
    }

    @Test
    void iso8601AgreesWithJavaTimeOnRandomInstantsAndZones() {
        SplittableRandom random = new SplittableRandom(7);
        DateTimeFormatter withOffset = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-2_000_000_000L, 8_000_000_000L);
            int nanos = random.nextInt(1_000_000) * 1000;
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 4, 18 * 4 + 1) * 900);
            ZonedDateTime t = Instant.ofEpochSecond(seconds, nanos).atZone(offset);
            String text = t.format(withOffset);
            assertThat(micros("ISO8601", text, UTC)).as(text).isEqualTo(seconds * 1_000_000 + nanos / 1000);
        }
    }

    @Test
    void aZoneLessTimestampIsInTheConfiguredZone() {
        Timestamps.Context paris = new Timestamps.Context(ZoneId.of("Europe/Paris"), null, Instant.EPOCH);
        assertThat(micros("ISO8601", "2026-07-01 12:00:00", paris)).isEqualTo(micros("2026-07-01T10:00:00Z"));
        assertThat(micros("ISO8601", "2026-01-01 12:00:00", paris)).isEqualTo(micros("2026-01-01T11:00:00Z"));
        assertThat(micros("ISO8601", "2026-01-01T12:00:00Z", paris)).isEqualTo(micros("2026-01-01T12:00:00Z"));
    }

    @Test
    void epochSecondsAndMillis() {
        assertThat(micros("UNIX", "1763626530", UTC)).isEqualTo(1763626530_000000L);
        assertThat(micros("UNIX", "1763626530.25", UTC)).isEqualTo(1763626530_250000L);
        assertThat(micros("UNIX_MS", "1763626530123", UTC)).isEqualTo(1763626530_123000L);
        assertThat(micros("UNIX_MS", "1763626530123.5", UTC)).isEqualTo(1763626530_123500L);
        assertThat(micros("UNIX", "12a", UTC)).isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
        assertThat(micros("UNIX", "1.", UTC)).isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
    }

    @Test
    void httpDateIsTheAccessLogForm() {
        assertThat(micros("HTTPDATE", "10/Oct/2000:13:55:36 -0700", UTC)).isEqualTo(micros("2000-10-10T20:55:36Z"));
        assertThat(micros("HTTPDATE", "01/jan/2026:00:00:00 +0000", UTC)).isEqualTo(micros("2026-01-01T00:00:00Z"));
        assertThat(micros("HTTPDATE", "31/Feb/2026:00:00:00 +0000", UTC)).isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
        assertThat(micros("HTTPDATE", "10/Oct/2000:13:55:36", UTC)).isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
    }

    @Test
    void syslogTakesTheReferenceYearOrTheYearBeforeWhenThatWouldBeInTheFuture() {
        Timestamps.Context january =
                new Timestamps.Context(ZoneOffset.UTC, null, Instant.parse("2027-01-02T10:00:00Z"));
        assertThat(micros("SYSLOG", "Jan  2 09:00:00", january)).isEqualTo(micros("2027-01-02T09:00:00Z"));
        assertThat(micros("SYSLOG", "Jan  3 09:00:00", january))
                .as("within a day ahead")
                .isEqualTo(micros("2027-01-03T09:00:00Z"));
        assertThat(micros("SYSLOG", "Dec 31 23:59:59", january)).isEqualTo(micros("2026-12-31T23:59:59Z"));
        assertThat(micros("SYSLOG", "Oct 11 22:14:15", january)).isEqualTo(micros("2026-10-11T22:14:15Z"));
        Timestamps.Context fixed = new Timestamps.Context(ZoneOffset.UTC, 2003, Instant.parse("2027-01-02T10:00:00Z"));
        assertThat(micros("SYSLOG", "Oct 11 22:14:15", fixed)).isEqualTo(micros("2003-10-11T22:14:15Z"));
        assertThat(micros("SYSLOG", "Feb 29 00:00:00", fixed)).isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
        assertThat(micros("SYSLOG", "Oct 32 22:14:15", fixed)).isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
    }

    @Test
    void javaTimePatternsForTheRest() {
        assertThat(micros("EEE MMM dd HH:mm:ss yyyy", "Wed Oct 11 14:32:52 2000", UTC))
                .isEqualTo(micros("2000-10-11T14:32:52Z"));
        assertThat(micros("EEE MMM dd HH:mm:ss[.SSSSSS] yyyy", "Fri Sep 09 10:42:29.902022 2011", UTC))
                .isEqualTo(micros("2011-09-09T10:42:29.902022Z"));
        assertThat(micros("yyMMdd HHmmss", "081109 203615", UTC)).isEqualTo(micros("2008-11-09T20:36:15Z"));
        assertThat(micros("yyyy-MM-dd HH:mm:ss Z", "2026-11-20 08:00:00 +0100", UTC))
                .isEqualTo(micros("2026-11-20T07:00:00Z"));
        assertThat(micros(
                        "MMM d HH:mm:ss",
                        "Dec 31 23:00:00",
                        new Timestamps.Context(ZoneOffset.UTC, 1999, Instant.EPOCH)))
                .isEqualTo(micros("1999-12-31T23:00:00Z"));
        assertThat(micros("yyMMdd HHmmss", "081109 2036", UTC)).isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
    }

    @Test
    void patternsAreTriedInOrder() {
        TimestampParser p = Timestamps.parser(List.of("ISO8601", "UNIX_MS"), UTC);
        byte[] iso = "2026-11-20T00:00:00Z".getBytes(StandardCharsets.US_ASCII);
        byte[] ms = "1795132800000".getBytes(StandardCharsets.US_ASCII);
        assertThat(p.epochMicros(iso, 0, iso.length)).isEqualTo(p.epochMicros(ms, 0, ms.length));
    }

    @Test
    void anInvalidPatternIsNamed() {
        assertThat(Timestamps.problem("yyyy-MM-dd {"))
                .contains("'yyyy-MM-dd {'")
                .contains("java.time pattern");
        assertThat(Timestamps.problem("iso8601")).isNull();
        assertThat(Timestamps.problem("dd/MMM/yyyy:HH:mm:ss Z")).isNull();
    }
}
