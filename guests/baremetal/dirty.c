/* A bare-metal program for osgemu's (and QEMU's) virt board that keeps a working set of memory
 * dirty and checks it, for live-migration tests and benchmarks.
 *
 * The working set (WORKSET_MIB MiB from 2 MiB into RAM) is filled once with generation 1, then
 * pass after pass every page is verified against the generation it was last written with and
 * rewritten with the next one. The passes are paced by the CLINT's mtime so that one pass takes
 * PASS_MS of guest time (a guest dirtying WORKSET_MIB / PASS_MS), unless the CPU is too slow to
 * keep that pace. After each pass it prints
 *     dirty: pass N sum S mismatches M
 * where S is the 64-bit sum of every word it verified in that pass: a function of N alone, so a
 * test can check it. A word that is not what was written is reported as
 *     MISMATCH page P word W expected X got Y
 * (up to four per pass). A migration that loses or mixes up a page shows up as a MISMATCH line
 * or a wrong sum; one that restarts the program shows "dirty: ready" again.
 *
 * Built with -DBIGSTATE, it also checks osgemu's bigstate device (at 0x00102000) once a pass:
 * sixteen of its blocks must hash to what its index says, and a lookup by hash must find a block
 * with that hash; "bigstate ok" ends the pass line, "MISMATCH bigstate ..." reports a failure. */
#include <stdint.h>

#include "console.h"

#ifndef WORKSET_MIB
#define WORKSET_MIB 64
#endif
#ifndef PASS_MS
#define PASS_MS 2000
#endif

#define CLINT_MTIME    (0x2000000UL + 0xbff8)
#define TIMEBASE_HZ    10000000UL
#define WORKSET_BASE   0x80200000UL
#define PAGE_SIZE      4096UL
#define PAGE_WORDS     (PAGE_SIZE / 8)
#define PAGES          ((WORKSET_MIB << 20) / PAGE_SIZE)
#define PACE_PAGES     64UL /* pages between two looks at the clock */
#define STEP           0x9E3779B97F4A7C15UL
#define MAX_REPORTS    4

#define BIGSTATE_BASE   0x00102000UL
#define BIGSTATE_MAGIC  0x53474942UL /* "BIGS" */
#define BS_MAGIC        0x00
#define BS_BLOCKS       0x0c
#define BS_BLOCK        0x10
#define BS_HASH         0x20
#define BS_VERIFY       0x28
#define BS_LOOKUP       0x38
#define BS_FOUND        0x40

static volatile uint64_t *const mtime = (volatile uint64_t *)CLINT_MTIME;
static uint32_t generation[PAGES];

/* Waits until mtime reaches deadline, polling: no WFI, since QEMU 7.2 does not re-arm the CLINT
 * timer of a migrated machine, and a destination sleeping in WFI would never wake. */
static void sleep_until(uint64_t deadline) {
    while (*mtime < deadline) {
    }
}

/* splitmix64's finalizer: the first word of a page for a generation. */
static uint64_t page_base(uint64_t gen, uint64_t page) {
    uint64_t z = (gen << 32) ^ page;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
    return z ^ (z >> 31);
}

static void write_page(uint64_t page, uint64_t gen) {
    volatile uint64_t *p = (volatile uint64_t *)(WORKSET_BASE + page * PAGE_SIZE);
    uint64_t v = page_base(gen, page);
    for (uint64_t i = 0; i < PAGE_WORDS; i++, v += STEP) {
        p[i] = v;
    }
}

/* Adds the page's words to *sum and counts the words that are not what generation gen wrote. */
static uint64_t verify_page(uint64_t page, uint64_t gen, uint64_t *sum, uint64_t *reports) {
    volatile uint64_t *p = (volatile uint64_t *)(WORKSET_BASE + page * PAGE_SIZE);
    uint64_t expected = page_base(gen, page);
    uint64_t bad = 0;
    for (uint64_t i = 0; i < PAGE_WORDS; i++, expected += STEP) {
        uint64_t got = p[i];
        *sum += got;
        if (got != expected) {
            bad++;
            if (*reports < MAX_REPORTS) {
                (*reports)++;
                put_string("MISMATCH page ");
                put_decimal(page);
                put_string(" word ");
                put_decimal(i);
                put_string(" expected ");
                put_hex(expected);
                put_string(" got ");
                put_hex(got);
                put_string("\n");
            }
        }
    }
    return bad;
}

#ifdef BIGSTATE
static uint64_t bs_read(uint64_t reg, int size) {
    if (size == 8) return *(volatile uint64_t *)(BIGSTATE_BASE + reg);
    return *(volatile uint32_t *)(BIGSTATE_BASE + reg);
}

static void bs_write(uint64_t reg, uint64_t v, int size) {
    if (size == 8) *(volatile uint64_t *)(BIGSTATE_BASE + reg) = v;
    else *(volatile uint32_t *)(BIGSTATE_BASE + reg) = (uint32_t)v;
}

/* Checks sixteen blocks of the bigstate device; returns whether all were right. */
static int check_bigstate(uint64_t pass) {
    if (bs_read(BS_MAGIC, 4) != BIGSTATE_MAGIC) {
        put_string("MISMATCH bigstate: no device at 0x00102000\n");
        return 0;
    }
    uint64_t blocks = bs_read(BS_BLOCKS, 4);
    uint64_t x = pass * 0x2545F4914F6CDD1DUL + 1;
    for (int i = 0; i < 16; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t block = x % blocks;
        bs_write(BS_BLOCK, block, 4);
        if (bs_read(BS_VERIFY, 4) != 1) {
            put_string("MISMATCH bigstate block ");
            put_decimal(block);
            put_string(": its index entry does not match its contents\n");
            return 0;
        }
        uint64_t hash = bs_read(BS_HASH, 8);
        bs_write(BS_LOOKUP, hash, 8);
        uint64_t found = bs_read(BS_FOUND, 4);
        bs_write(BS_BLOCK, found, 4);
        if (found >= blocks || bs_read(BS_HASH, 8) != hash) {
            put_string("MISMATCH bigstate lookup of block ");
            put_decimal(block);
            put_string("'s hash found block ");
            put_decimal(found);
            put_string("\n");
            return 0;
        }
    }
    return 1;
}
#endif

/* start.S calls this when main returns, which it never does. */
void finish(int status) {
    (void)status;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

int main(void) {
    for (uint64_t page = 0; page < PAGES; page++) {
        write_page(page, 1);
        generation[page] = 1;
    }
    put_string("dirty: ready ");
    put_decimal(WORKSET_MIB);
    put_string(" MiB, a pass every ");
    put_decimal(PASS_MS);
    put_string(" ms\n");
    const uint64_t ticks_per_chunk = TIMEBASE_HZ / 1000 * PASS_MS * PACE_PAGES / PAGES;
    uint64_t deadline = *mtime;
    for (uint64_t pass = 1;; pass++) {
        uint64_t sum = 0;
        uint64_t bad = 0;
        uint64_t reports = 0;
        for (uint64_t page = 0; page < PAGES; page++) {
            bad += verify_page(page, generation[page], &sum, &reports);
            write_page(page, generation[page] + 1);
            generation[page]++;
            if ((page + 1) % PACE_PAGES == 0) {
                uint64_t now = *mtime;
                deadline += ticks_per_chunk;
                if (deadline < now) {
                    deadline = now; /* behind the pace (a slow CPU): no burst to catch up */
                }
                sleep_until(deadline);
            }
        }
        put_string("dirty: pass ");
        put_decimal(pass);
        put_string(" sum ");
        put_hex(sum);
        put_string(" mismatches ");
        put_decimal(bad);
#ifdef BIGSTATE
        put_string(check_bigstate(pass) ? " bigstate ok" : " bigstate BAD");
#endif
        put_string("\n");
    }
}
