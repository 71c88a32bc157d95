/*
 * The FMA ceiling measured outside the JVM: independent accumulators, each updated as acc = x * y + acc
 * (vfmadd231ps, the accumulator as the addend), with every operand in a register. Twelve ymm accumulators
 * and two operands fill AVX2's 16 registers; twenty-four zmm accumulators fit AVX-512's 32. Either count
 * covers the FMA latency (4 cycles) times the FMA pipes (2) of current x86 cores.
 *
 * Prints one JSON object: GFLOP/s per ISA, one FMA counting as two FLOP per lane, the best of several
 * timed repeats, on one thread and on --threads threads (each running the same loop, nothing shared).
 *
 *   fma-peak [--seconds S] [--repeats N] [--threads T]
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUNDS 1024

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* The asm barrier keeps the compiler from folding the loop: the accumulators are read back at the end. */
__attribute__((target("avx2,fma"))) static float avx2_loop(long calls) {
    __m256 x = _mm256_set1_ps(0.999f), y = _mm256_set1_ps(1e-3f);
    __m256 a0 = _mm256_set1_ps(1), a1 = _mm256_set1_ps(2), a2 = _mm256_set1_ps(3), a3 = _mm256_set1_ps(4);
    __m256 a4 = _mm256_set1_ps(5), a5 = _mm256_set1_ps(6), a6 = _mm256_set1_ps(7), a7 = _mm256_set1_ps(8);
    __m256 a8 = _mm256_set1_ps(9), a9 = _mm256_set1_ps(10), a10 = _mm256_set1_ps(11), a11 = _mm256_set1_ps(12);
    for (long c = 0; c < calls; c++) {
        for (int i = 0; i < ROUNDS; i++) {
            a0 = _mm256_fmadd_ps(x, y, a0); a1 = _mm256_fmadd_ps(x, y, a1); a2 = _mm256_fmadd_ps(x, y, a2);
            a3 = _mm256_fmadd_ps(x, y, a3); a4 = _mm256_fmadd_ps(x, y, a4); a5 = _mm256_fmadd_ps(x, y, a5);
            a6 = _mm256_fmadd_ps(x, y, a6); a7 = _mm256_fmadd_ps(x, y, a7); a8 = _mm256_fmadd_ps(x, y, a8);
            a9 = _mm256_fmadd_ps(x, y, a9); a10 = _mm256_fmadd_ps(x, y, a10); a11 = _mm256_fmadd_ps(x, y, a11);
        }
        __asm__ volatile("" : "+x"(x), "+x"(y));
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
    float out[8];
    _mm256_storeu_ps(out, s);
    return out[0];
}

#define Z(i) a##i = _mm512_fmadd_ps(x, y, a##i)
__attribute__((target("avx512f"))) static float avx512_loop(long calls) {
    __m512 x = _mm512_set1_ps(0.999f), y = _mm512_set1_ps(1e-3f);
    __m512 a0 = _mm512_set1_ps(1), a1 = _mm512_set1_ps(2), a2 = _mm512_set1_ps(3), a3 = _mm512_set1_ps(4);
    __m512 a4 = _mm512_set1_ps(5), a5 = _mm512_set1_ps(6), a6 = _mm512_set1_ps(7), a7 = _mm512_set1_ps(8);
    __m512 a8 = _mm512_set1_ps(9), a9 = _mm512_set1_ps(10), a10 = _mm512_set1_ps(11), a11 = _mm512_set1_ps(12);
    __m512 a12 = _mm512_set1_ps(13), a13 = _mm512_set1_ps(14), a14 = _mm512_set1_ps(15), a15 = _mm512_set1_ps(16);
    __m512 a16 = _mm512_set1_ps(17), a17 = _mm512_set1_ps(18), a18 = _mm512_set1_ps(19), a19 = _mm512_set1_ps(20);
    __m512 a20 = _mm512_set1_ps(21), a21 = _mm512_set1_ps(22), a22 = _mm512_set1_ps(23), a23 = _mm512_set1_ps(24);
    for (long c = 0; c < calls; c++) {
        for (int i = 0; i < ROUNDS; i++) {
            Z(0); Z(1); Z(2); Z(3); Z(4); Z(5); Z(6); Z(7); Z(8); Z(9); Z(10); Z(11);
            Z(12); Z(13); Z(14); Z(15); Z(16); Z(17); Z(18); Z(19); Z(20); Z(21); Z(22); Z(23);
        }
        __asm__ volatile("" : "+v"(x), "+v"(y));
    }
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                             _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)),
                                       _mm512_add_ps(_mm512_add_ps(a12, a13), _mm512_add_ps(a14, a15))));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a16, a17), _mm512_add_ps(a18, a19)),
                                       _mm512_add_ps(_mm512_add_ps(a20, a21), _mm512_add_ps(a22, a23))));
    return _mm512_reduce_add_ps(s);
}

typedef struct {
    int avx512;
    long calls;
    double seconds;
    float sink;
} job;

static void *run(void *arg) {
    job *j = arg;
    double start = now();
    j->sink = j->avx512 ? avx512_loop(j->calls) : avx2_loop(j->calls);
    j->seconds = now() - start;
    return NULL;
}

/* The seconds of the slowest of `threads` threads each doing `calls` calls at once. */
static double timed(int avx512, long calls, int threads) {
    pthread_t tid[256];
    job jobs[256];
    for (int t = 0; t < threads; t++) {
        jobs[t] = (job){avx512, calls, 0, 0};
        pthread_create(&tid[t], NULL, run, &jobs[t]);
    }
    double slowest = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(tid[t], NULL);
        if (jobs[t].seconds > slowest) {
            slowest = jobs[t].seconds;
        }
    }
    return slowest;
}

/* GFLOP/s: the best of `repeats` timings of about `seconds` each, after one of the same length to warm up. */
static double best(int avx512, double seconds, int repeats, int threads) {
    long calls = 16;
    double t;
    while ((t = timed(avx512, calls, 1)) < seconds / 8) {
        calls *= 2;
    }
    calls = (long) (calls * seconds / t) + 1;
    timed(avx512, calls, threads);
    double fastest = 1e300;
    for (int r = 0; r < repeats; r++) {
        t = timed(avx512, calls, threads);
        if (t < fastest) {
            fastest = t;
        }
    }
    int lanes = avx512 ? 16 : 8, accumulators = avx512 ? 24 : 12;
    return (double) threads * calls * ROUNDS * accumulators * lanes * 2 / fastest / 1e9;
}

static void report(const char *name, int avx512, double seconds, int repeats, int threads, int last) {
    int lanes = avx512 ? 16 : 8, accumulators = avx512 ? 24 : 12;
    double one = best(avx512, seconds, repeats, 1);
    printf("  \"%s\": {\"bits\": %d, \"lanes\": %d, \"accumulators\": %d, \"gflops_1_thread\": %.2f", name, lanes * 32,
           lanes, accumulators, one);
    if (threads > 1) {
        printf(", \"threads\": %d, \"gflops_all_threads\": %.2f", threads, best(avx512, seconds, repeats, threads));
    }
    printf("}%s\n", last ? "" : ",");
}

int main(int argc, char **argv) {
    double seconds = 0.5;
    int repeats = 5, threads = 1;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--seconds") == 0) {
            seconds = atof(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--repeats") == 0) {
            repeats = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--threads") == 0) {
            threads = atoi(argv[++i]);
        } else {
            fprintf(stderr, "fma-peak: unknown argument '%s'; usage: fma-peak [--seconds S] [--repeats N] [--threads T]\n",
                    argv[i]);
            return 2;
        }
    }
    if (seconds <= 0 || repeats < 1 || threads < 1 || threads > 256) {
        fprintf(stderr, "fma-peak: --seconds must be > 0, --repeats >= 1, --threads 1 to 256\n");
        return 2;
    }
    __builtin_cpu_init();
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    int avx512 = __builtin_cpu_supports("avx512f");
    printf("{\n  \"tool\": \"tools/fma-peak.c\",\n  \"form\": \"acc = fma(x, y, acc), independent accumulators\",\n");
    printf("  \"seconds\": %g,\n  \"repeats\": %d%s\n", seconds, repeats, avx2 || avx512 ? "," : "");
    if (avx2) {
        report("avx2", 0, seconds, repeats, threads, !avx512);
    }
    if (avx512) {
        report("avx512", 1, seconds, repeats, threads, 1);
    }
    printf("}\n");
    return 0;
}
