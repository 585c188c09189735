package dev.mapreduce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/configuration.md has a row for every variable a service's configuration reads, with the default that
 * configuration has: a new setting, or a changed default, changes the page too.
 */
class ConfigurationDocTest {

    static List<String> services() {
        return Repository.serviceModules();
    }

    /** The first two cells of each table row whose first cell is one backticked name: name → default cell. */
    static Map<String, List<String>> rows() {
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : Repository.read("docs/configuration.md").split("\n")) {
            String[] cells = line.split("(?<!\\\\)\\|", -1);
            if (cells.length >= 5 && cells[1].strip().matches("`[A-Z][A-Z0-9_]*`")) {
                String name = cells[1].strip().replace("`", "");
                rows.computeIfAbsent(name, n -> new ArrayList<>()).add(cells[3].strip());
            }
        }
        return rows;
    }

    @ParameterizedTest
    @MethodSource("services")
    void everyVariableOfTheServiceHasARowWithItsDefault(String module) {
        Map<String, List<String>> rows = rows();
        List<String> problems = new ArrayList<>();
        AppSettings.of(module).variables().forEach((name, value) -> {
            List<String> defaults = rows.get(name);
            if (defaults == null) {
                problems.add(name + " has no row");
            } else if (value.filter(v -> !v.isEmpty()).isPresent()
                    && defaults.stream().noneMatch(cell -> cell.contains("`" + value.orElseThrow() + "`"))) {
                problems.add(
                        name + ": the page says " + defaults + ", " + module + " has `" + value.orElseThrow() + "`");
            }
        });
        assertThat(problems)
                .as("docs/configuration.md against %s's configuration", module)
                .isEmpty();
    }
}
