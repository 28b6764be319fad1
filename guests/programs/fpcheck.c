/*
 * fpcheck [PROCESSES [PASSES]]   (defaults 3 and 10)
 *
 * Checks what a Linux user program sees of the CPU's floating point and of misaligned memory
 * accesses, and prints one line: "fpcheck: ok" (exit status 0) or "fpcheck: FAIL <what>"
 * (exit status 1; each failing process prints its own FAIL line first).
 *
 * PROCESSES children run at the same time, each PASSES times over:
 *  - a table of single operations (fma, sqrt, division; double and single precision) in every
 *    rounding mode, each checked bit for bit with the exception flags it raised
 *    (fetestexcept), plus round-to-nearest-maximum-magnitude ties set through frm directly (C's
 *    fesetround has no name for that mode);
 *  - a long running sum of fma(sqrt(n + 0.5), 1 / (n + 3), s) per rounding mode, which keeps
 *    its state in FP registers and yields the CPU now and then, while the other children run in
 *    other rounding modes: a kernel or emulator that loses the FP registers or frm across a
 *    context switch changes the sum or the mode, and the check says so;
 *  - misaligned 2-, 4- and 8-byte integer loads and stores, signed and unsigned, at every odd
 *    offset and across a page boundary, and misaligned flw/fsw/fld/fsd. A CPU may trap on
 *    them (osgemu does; the firmware then emulates them for Linux): either way they must
 *    complete with the right bytes and values.
 *
 * The expected values are IEEE 754 facts, not this machine's results: the table `expected`
 * below was printed by this same file compiled natively on an x86-64 host
 *   gcc -O2 -DFPCHECK_PRINT_TABLE -o fpcheck-table guests/programs/fpcheck.c -lm && ./fpcheck-table
 * (SSE and FMA round and flag as IEEE 754 says; x86 and RISC-V both detect tininess after
 * rounding), with one RISC-V rule applied by the printer: an operation that makes a NaN gives
 * the canonical NaN (0x7ff8000000000000, 0x7fc00000), where x86 gives a negative one. The
 * round-to-maximum-magnitude rows are worked out by hand next to them.
 */
#include <fenv.h>
#include <inttypes.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* The IEEE 754 exception flags as RISC-V's fflags holds them, whatever the host calls them. */
#define FLAG_NX 0x01 /* inexact */
#define FLAG_UF 0x02 /* underflow */
#define FLAG_OF 0x04 /* overflow */
#define FLAG_DZ 0x08 /* division by zero */
#define FLAG_NV 0x10 /* invalid */

/* The four rounding modes C names, in RISC-V's frm order (RNE, RTZ, RDN, RUP). */
#define MODES 4
static const int fe_modes[MODES] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};

enum op { FMA, SQRT, DIV };

/* One operation on a, b, c (sqrt uses a; division a / b; fma a * b + c), in double or single precision. */
struct fp_case {
    const char *name;
    enum op op;
    int single;
    double a, b, c;
};

/* What an operation must give: the result's bits and the flags it raised. */
struct fp_result {
    uint64_t bits;
    unsigned flags;
};

static const struct fp_case cases[] = {
    {"1/3", DIV, 0, 1.0, 3.0, 0},
    {"-2/3", DIV, 0, -2.0, 3.0, 0},
    {"1/0", DIV, 0, 1.0, 0.0, 0},
    {"0/0", DIV, 0, 0.0, 0.0, 0},
    {"6/4 exact", DIV, 0, 6.0, 4.0, 0},
    {"min normal/3 (subnormal)", DIV, 0, 0x1p-1022, 3.0, 0},
    {"sqrt 2", SQRT, 0, 2.0, 0, 0},
    {"sqrt 0.25 exact", SQRT, 0, 0.25, 0, 0},
    {"sqrt -1", SQRT, 0, -1.0, 0, 0},
    {"sqrt -0", SQRT, 0, -0.0, 0, 0},
    {"fma 0.1*10-1 fused", FMA, 0, 0.1, 10.0, -1.0},
    {"fma (1/3)*3+1e-17", FMA, 0, 1.0 / 3.0, 3.0, 1e-17},
    {"fma 1*1+2^-53 tie", FMA, 0, 1.0, 1.0, 0x1p-53},
    {"fma -1*1-2^-53 tie", FMA, 0, -1.0, 1.0, -0x1p-53},
    {"fma 1e308*10 overflow", FMA, 0, 1e308, 10.0, 0.0},
    {"fma 0*inf invalid", FMA, 0, 0.0, INFINITY, 1.0},
    {"fma x*x-x*x exact zero", FMA, 0, 0x1.8p0, 0x1.8p0, -0x1.2p1},
    {"1/3", DIV, 1, 1.0, 3.0, 0},
    {"-2/3", DIV, 1, -2.0, 3.0, 0},
    {"1/0", DIV, 1, 1.0, 0.0, 0},
    {"min normal/3 (subnormal)", DIV, 1, 0x1p-126, 3.0, 0},
    {"sqrt 2", SQRT, 1, 2.0, 0, 0},
    {"sqrt -1", SQRT, 1, -1.0, 0, 0},
    {"fma 0.1*10-1 fused", FMA, 1, (double)0.1f, 10.0, -1.0},
    {"fma 1*1+2^-24 tie", FMA, 1, 1.0, 1.0, 0x1p-24},
    {"fma 1e38*10 overflow", FMA, 1, (double)1e38f, 10.0, 0.0},
};
#define CASES (sizeof(cases) / sizeof(cases[0]))

/* The running sum: iterations per rounding mode. */
#define SUM_STEPS 3000
/* How often the sum gives up the CPU, so that the children switch while in different modes. */
#define SUM_YIELD_EVERY 250

#ifndef FPCHECK_PRINT_TABLE
/* Printed by the host build (see the header); one row per case, columns in fe_modes order. */
static const struct fp_result expected[CASES][MODES] = {
    /* 1/3 */ {{0x3fd5555555555555, 0x01}, {0x3fd5555555555555, 0x01}, {0x3fd5555555555555, 0x01}, {0x3fd5555555555556, 0x01}},
    /* -2/3 */ {{0xbfe5555555555555, 0x01}, {0xbfe5555555555555, 0x01}, {0xbfe5555555555556, 0x01}, {0xbfe5555555555555, 0x01}},
    /* 1/0 */ {{0x7ff0000000000000, 0x08}, {0x7ff0000000000000, 0x08}, {0x7ff0000000000000, 0x08}, {0x7ff0000000000000, 0x08}},
    /* 0/0 */ {{0x7ff8000000000000, 0x10}, {0x7ff8000000000000, 0x10}, {0x7ff8000000000000, 0x10}, {0x7ff8000000000000, 0x10}},
    /* 6/4 exact */ {{0x3ff8000000000000, 0x00}, {0x3ff8000000000000, 0x00}, {0x3ff8000000000000, 0x00}, {0x3ff8000000000000, 0x00}},
    /* min normal/3 (subnormal) */ {{0x5555555555555, 0x03}, {0x5555555555555, 0x03}, {0x5555555555555, 0x03}, {0x5555555555556, 0x03}},
    /* sqrt 2 */ {{0x3ff6a09e667f3bcd, 0x01}, {0x3ff6a09e667f3bcc, 0x01}, {0x3ff6a09e667f3bcc, 0x01}, {0x3ff6a09e667f3bcd, 0x01}},
    /* sqrt 0.25 exact */ {{0x3fe0000000000000, 0x00}, {0x3fe0000000000000, 0x00}, {0x3fe0000000000000, 0x00}, {0x3fe0000000000000, 0x00}},
    /* sqrt -1 */ {{0x7ff8000000000000, 0x10}, {0x7ff8000000000000, 0x10}, {0x7ff8000000000000, 0x10}, {0x7ff8000000000000, 0x10}},
    /* sqrt -0 */ {{0x8000000000000000, 0x00}, {0x8000000000000000, 0x00}, {0x8000000000000000, 0x00}, {0x8000000000000000, 0x00}},
    /* fma 0.1*10-1 fused */ {{0x3c90000000000000, 0x00}, {0x3c90000000000000, 0x00}, {0x3c90000000000000, 0x00}, {0x3c90000000000000, 0x00}},
    /* fma (1/3)*3+1e-17 */ {{0x3ff0000000000000, 0x01}, {0x3fefffffffffffff, 0x01}, {0x3fefffffffffffff, 0x01}, {0x3ff0000000000000, 0x01}},
    /* fma 1*1+2^-53 tie */ {{0x3ff0000000000000, 0x01}, {0x3ff0000000000000, 0x01}, {0x3ff0000000000000, 0x01}, {0x3ff0000000000001, 0x01}},
    /* fma -1*1-2^-53 tie */ {{0xbff0000000000000, 0x01}, {0xbff0000000000000, 0x01}, {0xbff0000000000001, 0x01}, {0xbff0000000000000, 0x01}},
    /* fma 1e308*10 overflow */ {{0x7ff0000000000000, 0x05}, {0x7fefffffffffffff, 0x05}, {0x7fefffffffffffff, 0x05}, {0x7ff0000000000000, 0x05}},
    /* fma 0*inf invalid */ {{0x7ff8000000000000, 0x10}, {0x7ff8000000000000, 0x10}, {0x7ff8000000000000, 0x10}, {0x7ff8000000000000, 0x10}},
    /* fma x*x-x*x exact zero */ {{0x0, 0x00}, {0x0, 0x00}, {0x8000000000000000, 0x00}, {0x0, 0x00}},
    /* 1/3 (single) */ {{0x3eaaaaab, 0x01}, {0x3eaaaaaa, 0x01}, {0x3eaaaaaa, 0x01}, {0x3eaaaaab, 0x01}},
    /* -2/3 (single) */ {{0xbf2aaaab, 0x01}, {0xbf2aaaaa, 0x01}, {0xbf2aaaab, 0x01}, {0xbf2aaaaa, 0x01}},
    /* 1/0 (single) */ {{0x7f800000, 0x08}, {0x7f800000, 0x08}, {0x7f800000, 0x08}, {0x7f800000, 0x08}},
    /* min normal/3 (subnormal) (single) */ {{0x2aaaab, 0x03}, {0x2aaaaa, 0x03}, {0x2aaaaa, 0x03}, {0x2aaaab, 0x03}},
    /* sqrt 2 (single) */ {{0x3fb504f3, 0x01}, {0x3fb504f3, 0x01}, {0x3fb504f3, 0x01}, {0x3fb504f4, 0x01}},
    /* sqrt -1 (single) */ {{0x7fc00000, 0x10}, {0x7fc00000, 0x10}, {0x7fc00000, 0x10}, {0x7fc00000, 0x10}},
    /* fma 0.1*10-1 fused (single) */ {{0x32800000, 0x00}, {0x32800000, 0x00}, {0x32800000, 0x00}, {0x32800000, 0x00}},
    /* fma 1*1+2^-24 tie (single) */ {{0x3f800000, 0x01}, {0x3f800000, 0x01}, {0x3f800000, 0x01}, {0x3f800001, 0x01}},
    /* fma 1e38*10 overflow (single) */ {{0x7f800000, 0x05}, {0x7f7fffff, 0x05}, {0x7f7fffff, 0x05}, {0x7f800000, 0x05}},
};
/* The running sums per mode, double and single, and the flags all steps raised together. */
static const struct fp_result expected_sum[2][MODES] = {
    {{0x405a2c26d96b9ecc, 0x01}, {0x405a2c26d96b9a17, 0x01}, {0x405a2c26d96b9a17, 0x01}, {0x405a2c26d96ba320, 0x01}},
    {{0x42d16125, 0x01}, {0x42d15cc1, 0x01}, {0x42d15cc1, 0x01}, {0x42d165c8, 0x01}},
};
#endif

static unsigned raised_flags(void)
{
    int raised = fetestexcept(FE_ALL_EXCEPT);
    return (raised & FE_INEXACT ? FLAG_NX : 0) | (raised & FE_UNDERFLOW ? FLAG_UF : 0)
        | (raised & FE_OVERFLOW ? FLAG_OF : 0) | (raised & FE_DIVBYZERO ? FLAG_DZ : 0)
        | (raised & FE_INVALID ? FLAG_NV : 0);
}

/* Operands go through volatile variables, so the compiler can neither fold an operation at
 * build time (in its own rounding mode) nor move it across fesetround or fetestexcept. */
static struct fp_result run_case(const struct fp_case *c)
{
    struct fp_result r;
    feclearexcept(FE_ALL_EXCEPT);
    if (c->single) {
        volatile float a = (float)c->a, b = (float)c->b, z = (float)c->c;
        volatile float x = c->op == FMA ? __builtin_fmaf(a, b, z) : c->op == SQRT ? __builtin_sqrtf(a) : a / b;
        r.flags = raised_flags();
        float value = x;
        uint32_t bits;
        memcpy(&bits, &value, sizeof bits);
        r.bits = bits;
    } else {
        volatile double a = c->a, b = c->b, z = c->c;
        volatile double x = c->op == FMA ? __builtin_fma(a, b, z) : c->op == SQRT ? __builtin_sqrt(a) : a / b;
        r.flags = raised_flags();
        double value = x;
        memcpy(&r.bits, &value, sizeof r.bits);
    }
    return r;
}

/* sum += sqrt(n + 0.5) / (n + 3) as an fma, SUM_STEPS times, in the current rounding mode. */
static struct fp_result running_sum(int single, int mode, const char **wrong_mode)
{
    struct fp_result r;
    feclearexcept(FE_ALL_EXCEPT);
    if (single) {
        float sum = 0;
        for (int n = 0; n < SUM_STEPS; n++) {
            volatile float x = (float)n + 0.5f, d = (float)n + 3.0f;
            float q = __builtin_sqrtf(x);
            float inverse = 1.0f / d;
            sum = __builtin_fmaf(q, inverse, sum);
            if (n % SUM_YIELD_EVERY == 0) {
                sched_yield();
                if (fegetround() != fe_modes[mode]) *wrong_mode = "the rounding mode changed during the single-precision sum";
            }
        }
        volatile float keep = sum;
        r.flags = raised_flags();
        float value = keep;
        uint32_t bits;
        memcpy(&bits, &value, sizeof bits);
        r.bits = bits;
    } else {
        double sum = 0;
        for (int n = 0; n < SUM_STEPS; n++) {
            volatile double x = (double)n + 0.5, d = (double)n + 3.0;
            double q = __builtin_sqrt(x);
            double inverse = 1.0 / d;
            sum = __builtin_fma(q, inverse, sum);
            if (n % SUM_YIELD_EVERY == 0) {
                sched_yield();
                if (fegetround() != fe_modes[mode]) *wrong_mode = "the rounding mode changed during the double-precision sum";
            }
        }
        volatile double keep = sum;
        r.flags = raised_flags();
        double value = keep;
        memcpy(&r.bits, &value, sizeof r.bits);
    }
    return r;
}

#ifdef FPCHECK_PRINT_TABLE

/* Any NaN an operation makes is RISC-V's canonical NaN (x86 makes the negative "default NaN"). */
static uint64_t canonical(const struct fp_case *c, uint64_t bits)
{
    if (c->single) {
        uint32_t b = (uint32_t)bits;
        return (b & 0x7f800000) == 0x7f800000 && (b & 0x007fffff) != 0 ? 0x7fc00000 : b;
    }
    return (bits & 0x7ff0000000000000) == 0x7ff0000000000000 && (bits & 0x000fffffffffffff) != 0
        ? 0x7ff8000000000000 : bits;
}

int main(void)
{
    printf("static const struct fp_result expected[CASES][MODES] = {\n");
    for (size_t i = 0; i < CASES; i++) {
        printf("    /* %s%s */ {", cases[i].name, cases[i].single ? " (single)" : "");
        for (int m = 0; m < MODES; m++) {
            fesetround(fe_modes[m]);
            struct fp_result r = run_case(&cases[i]);
            printf("%s{0x%" PRIx64 ", 0x%02x}", m ? ", " : "", canonical(&cases[i], r.bits), r.flags);
        }
        printf("},\n");
    }
    printf("};\n");
    printf("/* The running sums per mode, double and single, and the flags all steps raised together. */\n");
    printf("static const struct fp_result expected_sum[2][MODES] = {\n");
    for (int single = 0; single < 2; single++) {
        printf("    {");
        for (int m = 0; m < MODES; m++) {
            const char *wrong = NULL;
            fesetround(fe_modes[m]);
            struct fp_result r = running_sum(single, m, &wrong);
            printf("%s{0x%" PRIx64 ", 0x%02x}", m ? ", " : "", r.bits, r.flags);
        }
        printf("},\n");
    }
    printf("};\n");
    fesetround(FE_TONEAREST);
    return 0;
}

#else

/* Round-to-maximum-magnitude (frm 4) ties, worked out by hand: 1 + 2^-53 lies halfway between
 * 1 and the next double 1 + 2^-52, and rounds away from zero to the latter (to nearest, ties to
 * even, gives 1: see the rows above); likewise -1 - 2^-53 and, in single precision, 1 + 2^-24. */
static const struct {
    struct fp_case operation;
    struct fp_result result;
} rmm_ties[] = {
    {{"fma 1*1+2^-53 tie", FMA, 0, 1.0, 1.0, 0x1p-53}, {0x3ff0000000000001, FLAG_NX}},
    {{"fma -1*1-2^-53 tie", FMA, 0, -1.0, 1.0, -0x1p-53}, {0xbff0000000000001, FLAG_NX}},
    {{"fma 1*1+2^-24 tie", FMA, 1, 1.0, 1.0, 0x1p-24}, {0x3f800001, FLAG_NX}},
};

static const char *const mode_names[MODES] = {"to nearest", "toward zero", "down", "up"};

/* Sets frm directly: round to nearest, ties to maximum magnitude has no fesetround name. */
static void set_frm(unsigned frm)
{
    __asm__ volatile("fsrm %0" : : "r"(frm));
}

static unsigned read_frm(void)
{
    unsigned frm;
    __asm__ volatile("frrm %0" : "=r"(frm));
    return frm;
}

static int check_result(int process, const char *what, const struct fp_case *c, const char *mode,
                        struct fp_result got, struct fp_result want)
{
    if (got.bits == want.bits && got.flags == want.flags) {
        return 0;
    }
    printf("fpcheck: FAIL process %d: %s%s%s%s, rounding %s: got 0x%" PRIx64 " flags 0x%02x, expected 0x%" PRIx64
           " flags 0x%02x\n", process, what, c ? " " : "", c ? c->name : "", c && c->single ? " (single)" : "", mode,
           got.bits, got.flags, want.bits, want.flags);
    return 1;
}

/* The operation table and the running sums, starting with rounding mode `first` (each process
 * starts elsewhere, so that at any time the processes use different modes). */
static int check_arithmetic(int process, int first)
{
    int failures = 0;
    for (int k = 0; k < MODES; k++) {
        int m = (first + k) % MODES;
        if (fesetround(fe_modes[m]) != 0) {
            printf("fpcheck: FAIL process %d: fesetround(%s) refused\n", process, mode_names[m]);
            return 1;
        }
        for (size_t i = 0; i < CASES; i++) {
            failures += check_result(process, "operation", &cases[i], mode_names[m], run_case(&cases[i]), expected[i][m]);
        }
        for (int single = 0; single < 2; single++) {
            const char *wrong_mode = NULL;
            struct fp_result sum = running_sum(single, m, &wrong_mode);
            if (wrong_mode != NULL) {
                printf("fpcheck: FAIL process %d: %s (set %s)\n", process, wrong_mode, mode_names[m]);
                failures++;
            }
            failures += check_result(process, single ? "single-precision running sum" : "double-precision running sum",
                                     NULL, mode_names[m], sum, expected_sum[single][m]);
        }
    }
    for (size_t t = 0; t < sizeof(rmm_ties) / sizeof(rmm_ties[0]); t++) {
        set_frm(4);
        struct fp_result r = run_case(&rmm_ties[t].operation);
        if (read_frm() != 4) {
            printf("fpcheck: FAIL process %d: frm does not hold 4 (round to maximum magnitude)\n", process);
            failures++;
        }
        failures += check_result(process, "operation", &rmm_ties[t].operation, "to nearest, ties away",
                                 r, rmm_ties[t].result);
    }
    fesetround(FE_TONEAREST);
    return failures;
}

static int misaligned_failure(int process, const char *what, size_t offset, uint64_t got, uint64_t want)
{
    printf("fpcheck: FAIL process %d: misaligned %s at offset %zu: got 0x%" PRIx64 ", expected 0x%" PRIx64 "\n",
           process, what, offset, got, want);
    return 1;
}

/* Stores `size` bytes of `value` at `p` with one (misaligned) store, checks the bytes in memory,
 * then loads them back unsigned and signed. */
static int misaligned_integer(int process, unsigned char *p, size_t offset, int size, uint64_t value)
{
    int failures = 0;
    uint64_t got = 0, signed_got = 0, want = size == 8 ? value : value & ((1ULL << (8 * size)) - 1);
    uint64_t signed_want = size == 8 ? value : (uint64_t)(((int64_t)(want << (64 - 8 * size))) >> (64 - 8 * size));
    memset(p - 1, 0x5a, (size_t)size + 2);
    switch (size) {
    case 2:
        *(volatile uint16_t *)p = (uint16_t)value;
        got = *(volatile uint16_t *)p;
        signed_got = (uint64_t)(int64_t)*(volatile int16_t *)p;
        break;
    case 4:
        *(volatile uint32_t *)p = (uint32_t)value;
        got = *(volatile uint32_t *)p;
        signed_got = (uint64_t)(int64_t)*(volatile int32_t *)p;
        break;
    default:
        *(volatile uint64_t *)p = value;
        got = *(volatile uint64_t *)p;
        signed_got = (uint64_t)*(volatile int64_t *)p;
        break;
    }
    for (int i = 0; i < size; i++) {
        if (p[i] != (unsigned char)(value >> (8 * i))) {
            failures += misaligned_failure(process, "store (byte in memory)", offset + (size_t)i, p[i],
                                           (unsigned char)(value >> (8 * i)));
        }
    }
    if (p[-1] != 0x5a || p[size] != 0x5a) {
        failures += misaligned_failure(process, "store (wrote beyond its bytes)", offset, (uint64_t)p[-1] << 8 | p[size], 0x5a5a);
    }
    if (got != want) {
        failures += misaligned_failure(process, size == 2 ? "lhu" : size == 4 ? "lwu" : "ld", offset, got, want);
    }
    if (signed_got != signed_want) {
        failures += misaligned_failure(process, size == 2 ? "lh" : size == 4 ? "lw" : "ld", offset, signed_got, signed_want);
    }
    return failures;
}

/* flw/fsw and fld/fsd at a misaligned address: the value goes through an FP register. */
static int misaligned_float(int process, unsigned char *p, size_t offset)
{
    int failures = 0;
    double d_in = -0x1.23456789abcdep-3, d_out;
    float f_in = 0x1.abcdep7f, f_out;
    uint64_t d_bits, d_mem;
    uint32_t f_bits, f_mem;
    __asm__ volatile("fsd %1, 0(%0)" : : "r"(p), "f"(d_in) : "memory");
    __asm__ volatile("fld %0, 0(%1)" : "=f"(d_out) : "r"(p) : "memory");
    memcpy(&d_mem, p, sizeof d_mem);
    memcpy(&d_bits, &d_in, sizeof d_bits);
    if (d_mem != d_bits) failures += misaligned_failure(process, "fsd", offset, d_mem, d_bits);
    memcpy(&d_mem, &d_out, sizeof d_mem);
    if (d_mem != d_bits) failures += misaligned_failure(process, "fld", offset, d_mem, d_bits);
    __asm__ volatile("fsw %1, 0(%0)" : : "r"(p), "f"(f_in) : "memory");
    __asm__ volatile("flw %0, 0(%1)" : "=f"(f_out) : "r"(p) : "memory");
    memcpy(&f_mem, p, sizeof f_mem);
    memcpy(&f_bits, &f_in, sizeof f_bits);
    if (f_mem != f_bits) failures += misaligned_failure(process, "fsw", offset, f_mem, f_bits);
    memcpy(&f_mem, &f_out, sizeof f_mem);
    if (f_mem != f_bits) failures += misaligned_failure(process, "flw", offset, f_mem, f_bits);
    return failures;
}

/* A misaligned store that is the first touch of two fresh pages: whoever emulates it meets
 * page faults on the way and must let the kernel map the pages, then finish the store. */
static int misaligned_first_touch(int process, size_t page, uint64_t value)
{
    int failures = 0;
    unsigned char *fresh = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fresh == MAP_FAILED) {
        printf("fpcheck: FAIL process %d: mmap of two pages failed\n", process);
        return 1;
    }
    unsigned char *p = fresh + page - 3;
    *(volatile uint64_t *)p = value;
    for (int i = 0; i < 8; i++) {
        if (p[i] != (unsigned char)(value >> (8 * i))) {
            failures += misaligned_failure(process, "first-touch store (byte in memory)", page - 3 + (size_t)i, p[i],
                                           (unsigned char)(value >> (8 * i)));
        }
    }
    munmap(fresh, 2 * page);
    return failures;
}

static int check_misaligned(int process)
{
    int failures = 0;
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *area = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) {
        printf("fpcheck: FAIL process %d: mmap of two pages failed\n", process);
        return 1;
    }
    const uint64_t value = 0xfedcba9876543210ULL ^ ((uint64_t)process << 56);
    for (size_t offset = 1; offset < 16; offset++) {
        if (offset % 2 != 0) failures += misaligned_integer(process, area + 64 + offset, offset, 2, value);
        if (offset % 4 != 0) failures += misaligned_integer(process, area + 64 + offset, offset, 4, value);
        if (offset % 8 != 0) {
            failures += misaligned_integer(process, area + 64 + offset, offset, 8, value);
            failures += misaligned_float(process, area + 64 + offset, offset);
        }
    }
    /* Straddling two pages: the bytes go to both. */
    for (size_t back = 1; back < 8; back++) {
        unsigned char *p = area + page - back;
        failures += misaligned_integer(process, p, (size_t)page - back, 8, value);
        failures += misaligned_float(process, p, (size_t)page - back);
        if (back < 4) failures += misaligned_integer(process, p, (size_t)page - back, 4, value);
    }
    munmap(area, 2 * (size_t)page);
    return failures + misaligned_first_touch(process, (size_t)page, value);
}

static unsigned long parse_count(const char *text, const char *what)
{
    char *end;
    unsigned long n = strtoul(text, &end, 10);
    if (*text == '\0' || *end != '\0' || n == 0 || n > 64) {
        printf("fpcheck: FAIL usage: %s must be a number from 1 to 64, not '%s'\n", what, text);
        exit(1);
    }
    return n;
}

int main(int argc, char **argv)
{
    unsigned long processes = argc > 1 ? parse_count(argv[1], "PROCESSES") : 3;
    unsigned long passes = argc > 2 ? parse_count(argv[2], "PASSES") : 10;
    setvbuf(stdout, NULL, _IONBF, 0);
    for (unsigned long p = 0; p < processes; p++) {
        pid_t child = fork();
        if (child < 0) {
            printf("fpcheck: FAIL fork: process %lu could not start\n", p);
            return 1;
        }
        if (child == 0) {
            int failures = 0;
            for (unsigned long pass = 0; pass < passes && failures == 0; pass++) {
                failures += check_arithmetic((int)p, (int)((p + pass) % MODES));
                failures += check_misaligned((int)p);
            }
            _exit(failures == 0 ? 0 : 1);
        }
    }
    unsigned long failed = 0;
    int status;
    while (wait(&status) > 0) {
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            failed++;
        }
    }
    if (failed != 0) {
        printf("fpcheck: FAIL %lu of %lu processes\n", failed, processes);
        return 1;
    }
    printf("fpcheck: ok\n");
    return 0;
}

#endif
