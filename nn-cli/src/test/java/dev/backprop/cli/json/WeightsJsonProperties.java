package dev.backprop.cli.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.core.Parameters;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.testing.ModelArbitraries;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Weights written as JSON read back as the same bits, for every kind of finite double and network. */
class WeightsJsonProperties {
    @Provide
    Arbitrary<Parameters> parameters() {
        return ModelArbitraries.parameters();
    }

    @Property(tries = 300)
    void writeThenReadIsTheIdentity(@ForAll("parameters") Parameters params) throws FileFormatException {
        String json = WeightsJson.toJson(params);
        Parameters back = WeightsJson.parse(Path.of("property.json"), json);
        assertEquals(params, back);
        assertEquals(json, WeightsJson.toJson(back));
    }
}
