package dev.backprop.simd;

import java.util.Optional;
import jdk.incubator.vector.FloatVector;

/**
 * The only place that names a Vector API class before the module is known to be present; loading this
 * class fails with a {@link LinkageError} when it is not, which {@link #preferredBits()} turns into
 * "not available".
 */
final class PanamaSpecies {
    private PanamaSpecies() {
    }

    /** The bit size of the preferred float species, if the Vector API loads. */
    static Optional<Integer> preferredBits() {
        try {
            return Optional.of(Holder.PREFERRED_BITS);
        } catch (LinkageError e) {
            return Optional.empty();
        }
    }

    private static final class Holder {
        static final int PREFERRED_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
