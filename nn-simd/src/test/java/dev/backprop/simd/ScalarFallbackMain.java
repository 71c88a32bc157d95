package dev.backprop.simd;

/** Makes the selection in a JVM of its own, which a test starts without the Vector API module. */
public final class ScalarFallbackMain {
    private ScalarFallbackMain() {
    }

    public static void main(String[] args) {
        System.out.println(VectorSupport.selection().vectorized() ? "vectorized" : "scalar");
    }
}
