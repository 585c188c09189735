package dev.mapreduce.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The prefiltered, literal-anchored matching finds exactly what a plain RE2/J search finds. */
class RegexInputTest {

    static final String[] PATTERNS = {
        "in (\\d+) ms",
        "[Uu]ser (\\d+)",
        "status 5\\d\\d",
        "a.b(c+)",
        "(ab)+c",
        "x*y",
        "\\d+ms",
        "([a-z]+)=(\\d+)",
        "ab?c",
        ".s(e)r",
        "[^ ]+ (ms)",
        "q",
        "é(.)",
        "(a|b)c",
        "(\\d+)",
        "x(y?)z",
        "a*b",
        "s*",
        "([a-c]+)([x-z]*)=",
        "\\w+ms",
        "\\s*(\\S+)",
        "[\\d.]+",
        "((a)b)",
        "u.e",
        "[^a-c]+",
        "a\\.b",
        "[-a]+x",
        "\\W(\\d)",
        "[]a]"
    };
    /** Mostly ASCII text (matched in place, by SimpleRegex where it applies), and text with a non-ASCII letter. */
    static final String[] ALPHABETS = {"abcxyqs msinUuer0123456789= 5tu.-\t", "abcxyqs msinUuer0123456789= é5tu.-\t"};

    @Test
    void simplePatternsAreMatchedWithoutRe2j() {
        assertThat(SimpleRegex.compile("in (\\d+) ms")).isNotNull();
        assertThat(SimpleRegex.compile("[Uu]ser (\\d+)")).isNotNull();
        assertThat(SimpleRegex.compile("\\d+5"))
                .as("overlapping: needs backtracking")
                .isNull();
        assertThat(SimpleRegex.compile("a|b")).isNull();
        assertThat(SimpleRegex.compile("(ab)+")).isNull();
        assertThat(SimpleRegex.compile("a{2}")).isNull();
    }

    @Test
    void findsWhatAPlainSearchFinds() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (String alphabet : ALPHABETS) {
            for (String regex : PATTERNS) {
                check(regex, alphabet, rnd);
            }
        }
    }

    private static void check(String regex, String alphabet, SplittableRandom rnd) {
        {
            Pattern p = Pattern.compile(regex);
            Regex.Input input = new Regex.Input(p);
            for (int n = 0; n < 3000; n++) {
                StringBuilder b = new StringBuilder();
                int len = rnd.nextInt(30);
                for (int i = 0; i < len; i++) {
                    b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
                if (rnd.nextInt(3) == 0) {
                    b.insert(
                            rnd.nextInt(b.length() + 1),
                            new String[] {"in 42 ms", "User 7", "status 503", "k=12"}[rnd.nextInt(4)]);
                }
                String text = b.toString();
                Matcher plain = p.matcher(text);
                boolean want = plain.find();
                byte[] bytes = ("<<" + text + ">>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                Slice s = new Slice().set(bytes, 2, bytes.length - 4);
                assertThat(input.find(s)).as("%s in '%s'", regex, text).isEqualTo(want);
                if (want) {
                    for (int g = 0; g <= plain.groupCount(); g++) {
                        String expected = plain.group(g) == null ? "" : plain.group(g);
                        assertThat(input.group(g, new Slice()).toString())
                                .as("%s group %d in '%s'", regex, g, text)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }
}
