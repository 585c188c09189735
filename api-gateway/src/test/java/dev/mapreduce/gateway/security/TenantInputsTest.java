package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.protocol.InputGrants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MAPREDUCE_INPUT_GRANTS: each tenant's grants, none for a tenant without an entry, all for admins. */
class TenantInputsTest {

    final TenantInputs inputs = TenantInputs.parse(
            " acme:topic:acme-* , globex:path:globex, acme:s3:s3://lake/acme ,,acme:path:shared/acme");

    @Test
    void aTenantsEntriesMakeItsGrants() {
        assertThat(inputs.of(new Caller("acme", false)))
                .isEqualTo(InputGrants.parse("topic:acme-*,s3:s3://lake/acme,path:shared/acme"));
        assertThat(inputs.of(new Caller("globex", false))).isEqualTo(InputGrants.parse("path:globex"));
        assertThat(inputs.tenants()).containsExactly("acme", "globex");
    }

    @Test
    void aTenantWithoutAnEntryReadsNothingAndAnAdminEverything() {
        assertThat(inputs.of(new Caller("initech", false))).isEqualTo(InputGrants.NONE);
        assertThat(inputs.of(new Caller("acme", true))).isEqualTo(InputGrants.ALL);
        assertThat(inputs.of(Caller.ANONYMOUS)).isEqualTo(InputGrants.ALL);
        assertThat(TenantInputs.parse("").of(Caller.ANONYMOUS)).isEqualTo(InputGrants.ALL);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"acme", ":topic:x", "acme:file:x", "acme:topic:", "acme:path:../x", "ac me:topic:x", "acme:s3:x"
            })
    void aMalformedEntryStopsTheGatewayNamingTheSetting(String text) {
        assertThatThrownBy(() -> TenantInputs.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mapreduce.gateway.input-grants (MAPREDUCE_INPUT_GRANTS)");
    }
}
