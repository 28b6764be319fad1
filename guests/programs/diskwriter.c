/*
 * diskwriter DEVICE [blocks [blocks-per-second [verify-seconds]]]
 *
 * Keeps a block device being written for live-migration tests, in a format that the guest and the
 * host (reading the image file afterwards) can both check. Write number seq (0, 1, 2, ...) goes
 * to 4 KiB block seq % blocks, so every pass (seq / blocks) rewrites the whole area once more.
 * blocks defaults to all of DEVICE; blocks-per-second (default 100; 0 = as fast as the device
 * goes) throttles the writing; verify-seconds (default 5; 0 = never) sets how often it re-reads.
 *
 * Block layout (little-endian 64-bit words):
 *   word 0        magic 0x45544952574b5344 ("DSKWRITE" as bytes)
 *   word 1        seq
 *   word 2        pass = seq / blocks
 *   word 3        block index = seq % blocks
 *   word 4        checksum: the sum over words 8..511 of mix(word ^ index * 0x9e3779b97f4a7c15)
 *   words 5..7    zero
 *   words 8..511  pattern: mix(seq * 512 + index)
 * Writes use O_DIRECT and O_DSYNC, so each one has reached the device when it returns.
 *
 * Every verify-seconds and on SIGUSR1 it reads back every block written so far (past the page
 * cache) and compares it with what its last write put there, printing one of:
 *   diskwriter: pass=<p> seq=<next seq> verified=<blocks> ok
 *   diskwriter: pass=<p> seq=<next seq> block=<b> MISMATCH found seq=<s>   (then exits with 2)
 * It starts with "diskwriter: pid=<pid> device=<DEVICE> blocks=<n> rate=<r>/s ready".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK_SIZE 4096
#define WORDS_PER_BLOCK (BLOCK_SIZE / 8)
#define HEADER_WORDS 8
#define MAGIC 0x45544952574b5344ULL
/* Blocks read back at once when verifying. */
#define READ_BATCH 64

static volatile sig_atomic_t verify_requested;

static void on_sigusr1(int signo)
{
    (void)signo;
    verify_requested = 1;
}

/* The splitmix64 finaliser, as dirtymem.c uses it. */
static uint64_t mix(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + now.tv_nsec / 1e9;
}

static unsigned long long parse_number(const char *text, const char *what)
{
    char *end;
    unsigned long long value = strtoull(text, &end, 10);
    if (*text == '\0' || *end != '\0') {
        fprintf(stderr, "diskwriter: %s must be a whole number, not '%s'\n", what, text);
        exit(1);
    }
    return value;
}

/* Fills words with what write number seq puts in its block. */
static void fill_block(uint64_t *words, uint64_t seq, uint64_t blocks)
{
    uint64_t checksum = 0;
    memset(words, 0, HEADER_WORDS * sizeof *words);
    for (uint64_t i = HEADER_WORDS; i < WORDS_PER_BLOCK; i++) {
        words[i] = mix(seq * WORDS_PER_BLOCK + i);
        checksum += mix(words[i] ^ (i * 0x9e3779b97f4a7c15ULL));
    }
    words[0] = MAGIC;
    words[1] = seq;
    words[2] = seq / blocks;
    words[3] = seq % blocks;
    words[4] = checksum;
}

/* The number of the last write that went to block, when next_seq writes were made (block < next_seq). */
static uint64_t last_seq_of(uint64_t block, uint64_t next_seq, uint64_t blocks)
{
    return block + (next_seq - 1 - block) / blocks * blocks;
}

/* Reads back every block written so far; prints the result; returns 0 when all were right. */
static int verify(int fd, uint64_t next_seq, uint64_t blocks, uint64_t *batch, uint64_t *expected)
{
    uint64_t written = next_seq < blocks ? next_seq : blocks;
    for (uint64_t first = 0; first < written; first += READ_BATCH) {
        uint64_t count = written - first < READ_BATCH ? written - first : READ_BATCH;
        ssize_t got = pread(fd, batch, count * BLOCK_SIZE, (off_t)(first * BLOCK_SIZE));
        if (got != (ssize_t)(count * BLOCK_SIZE)) {
            printf("diskwriter: pass=%llu seq=%llu read of block %llu ERROR: %s\n",
                   (unsigned long long)(next_seq / blocks), (unsigned long long)next_seq,
                   (unsigned long long)first, got < 0 ? strerror(errno) : "short read");
            return 1;
        }
        for (uint64_t k = 0; k < count; k++) {
            uint64_t block = first + k;
            uint64_t seq = last_seq_of(block, next_seq, blocks);
            uint64_t *found = batch + k * WORDS_PER_BLOCK;
            fill_block(expected, seq, blocks);
            if (memcmp(found, expected, BLOCK_SIZE) != 0) {
                printf("diskwriter: pass=%llu seq=%llu block=%llu MISMATCH found seq=%llu expected seq=%llu\n",
                       (unsigned long long)(next_seq / blocks), (unsigned long long)next_seq,
                       (unsigned long long)block, (unsigned long long)found[1], (unsigned long long)seq);
                return 2;
            }
        }
    }
    printf("diskwriter: pass=%llu seq=%llu verified=%llu ok\n", (unsigned long long)(next_seq / blocks),
           (unsigned long long)next_seq, (unsigned long long)written);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 5) {
        fprintf(stderr, "usage: diskwriter DEVICE [blocks [blocks-per-second [verify-seconds]]]\n");
        return 1;
    }
    const char *device = argv[1];
    unsigned long long rate = argc > 3 ? parse_number(argv[3], "blocks-per-second") : 100;
    unsigned long long verify_seconds = argc > 4 ? parse_number(argv[4], "verify-seconds") : 5;
    setvbuf(stdout, NULL, _IONBF, 0);

    int fd = open(device, O_RDWR | O_DIRECT | O_DSYNC);
    if (fd < 0) {
        fprintf(stderr, "diskwriter: cannot open %s: %s\n", device, strerror(errno));
        return 1;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < BLOCK_SIZE) {
        fprintf(stderr, "diskwriter: %s holds %lld bytes, less than one block\n", device, (long long)size);
        return 1;
    }
    uint64_t blocks = argc > 2 ? parse_number(argv[2], "blocks") : (uint64_t)size / BLOCK_SIZE;
    if (blocks == 0 || blocks > (uint64_t)size / BLOCK_SIZE) {
        fprintf(stderr, "diskwriter: blocks must be 1 to %lld for %s, not %llu\n",
                (long long)(size / BLOCK_SIZE), device, (unsigned long long)blocks);
        return 1;
    }
    /* O_DIRECT wants buffers aligned to the device's blocks; a page covers every usual size. */
    uint64_t *block_buffer, *batch, *expected;
    if (posix_memalign((void **)&block_buffer, BLOCK_SIZE, BLOCK_SIZE) != 0
        || posix_memalign((void **)&batch, BLOCK_SIZE, READ_BATCH * BLOCK_SIZE) != 0
        || posix_memalign((void **)&expected, BLOCK_SIZE, BLOCK_SIZE) != 0) {
        fprintf(stderr, "diskwriter: out of memory\n");
        return 1;
    }

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigusr1;
    sigaction(SIGUSR1, &action, NULL);

    printf("diskwriter: pid=%d device=%s blocks=%llu rate=%llu/s ready\n", (int)getpid(), device,
           (unsigned long long)blocks, rate);

    double started = seconds_now();
    double next_verify = started + verify_seconds;
    for (uint64_t seq = 0;; seq++) {
        fill_block(block_buffer, seq, blocks);
        ssize_t put = pwrite(fd, block_buffer, BLOCK_SIZE, (off_t)(seq % blocks * BLOCK_SIZE));
        if (put != BLOCK_SIZE) {
            printf("diskwriter: pass=%llu seq=%llu write ERROR: %s\n", (unsigned long long)(seq / blocks),
                   (unsigned long long)seq, put < 0 ? strerror(errno) : "short write");
            return 1;
        }
        if (rate != 0) {
            double ahead = started + (double)(seq + 1) / rate - seconds_now();
            if (ahead > 0)
                usleep((useconds_t)(ahead * 1e6));
        }
        int timer_due = verify_seconds != 0 && seconds_now() >= next_verify;
        if (verify_requested || timer_due) {
            verify_requested = 0;
            int result = verify(fd, seq + 1, blocks, batch, expected);
            if (result != 0)
                return result;
            if (timer_due)
                next_verify = seconds_now() + verify_seconds;
        }
    }
}
