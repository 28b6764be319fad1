/*
 * dirtymem [MiB [dirty-MiB-per-second [report-seconds]]]
 *
 * Keeps guest memory changing for live-migration tests: fills MiB mebibytes (default 64) with
 * pseudo-random words (so no page is all zeros), then rewrites one word in every page, pass
 * after pass, forever. dirty-MiB-per-second (default 0 = as fast as the CPU goes) throttles
 * the rewriting so tests can pick a dirty rate that migration can or cannot keep up with.
 *
 * It keeps a running checksum of the whole buffer, updated with every store. Every
 * report-seconds (default 5; 0 = never) and on SIGUSR1 it re-reads the buffer, compares and
 * prints one of:
 *   dirtymem: pass=<n> checksum=<16 hex> ok
 *   dirtymem: pass=<n> checksum=<16 hex> MISMATCH expected=<16 hex>   (then exits with 2)
 * Each word's contribution depends on its address, so pages that arrive swapped or stale
 * after migration are caught, not only flipped bits.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define WORDS_PER_PAGE (4096 / sizeof(uint64_t))
#define PAGES_PER_MIB 256

static volatile sig_atomic_t report_requested;

static void on_sigusr1(int signo)
{
    (void)signo;
    report_requested = 1;
}

/* A 64-bit bit mixer (the splitmix64 finaliser): every input bit flips about half the output. */
static uint64_t mix(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* What one word adds to the checksum: depends on its value and on where it is. */
static uint64_t contribution(size_t index, uint64_t value)
{
    return mix(value ^ (index * 0x9e3779b97f4a7c15ULL));
}

static double seconds_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + now.tv_nsec / 1e9;
}

static unsigned long parse_number(const char *text, const char *what)
{
    char *end;
    unsigned long value = strtoul(text, &end, 10);
    if (*text == '\0' || *end != '\0') {
        fprintf(stderr, "dirtymem: %s must be a whole number, not '%s'\n", what, text);
        exit(1);
    }
    return value;
}

static uint64_t checksum_of(const uint64_t *words, size_t count)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < count; i++)
        sum += contribution(i, words[i]);
    return sum;
}

int main(int argc, char **argv)
{
    if (argc > 4) {
        fprintf(stderr, "usage: dirtymem [MiB [dirty-MiB-per-second [report-seconds]]]\n");
        return 1;
    }
    unsigned long mib = argc > 1 ? parse_number(argv[1], "MiB") : 64;
    unsigned long rate_mib = argc > 2 ? parse_number(argv[2], "dirty-MiB-per-second") : 0;
    unsigned long report_seconds = argc > 3 ? parse_number(argv[3], "report-seconds") : 5;
    if (mib == 0) {
        fprintf(stderr, "dirtymem: MiB must be at least 1\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IONBF, 0);

    size_t pages = mib * PAGES_PER_MIB;
    size_t word_count = pages * WORDS_PER_PAGE;
    uint64_t *words = mmap(NULL, word_count * sizeof(uint64_t), PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (words == MAP_FAILED) {
        fprintf(stderr, "dirtymem: cannot map %lu MiB: %s\n", mib, strerror(errno));
        return 1;
    }
    uint64_t expected = 0;
    for (size_t i = 0; i < word_count; i++) {
        words[i] = mix(i + 1);
        expected += contribution(i, words[i]);
    }

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigusr1;
    sigaction(SIGUSR1, &action, NULL);

    printf("dirtymem: pid=%d size=%luMiB rate=%luMiB/s checksum=%016llx ready\n", (int)getpid(),
           mib, rate_mib, (unsigned long long)expected);

    double started = seconds_now();
    double next_report = started + report_seconds;
    unsigned long long dirtied_pages = 0;
    for (unsigned long pass = 1;; pass++) {
        for (size_t page = 0; page < pages; page++) {
            /* A different word of the page each pass, so whole pages keep changing. */
            size_t index = page * WORDS_PER_PAGE + (pass * 67 + page) % WORDS_PER_PAGE;
            uint64_t old_value = words[index];
            uint64_t new_value = mix(old_value ^ pass);
            words[index] = new_value;
            expected += contribution(index, new_value) - contribution(index, old_value);
            dirtied_pages++;

            if (dirtied_pages % PAGES_PER_MIB != 0)
                continue;
            if (rate_mib != 0) {
                double due = started + (double)dirtied_pages / PAGES_PER_MIB / rate_mib;
                double ahead = due - seconds_now();
                if (ahead > 0)
                    usleep((useconds_t)(ahead * 1e6));
            }
            int timer_due = report_seconds != 0 && seconds_now() >= next_report;
            if (report_requested || timer_due) {
                report_requested = 0;
                uint64_t found = checksum_of(words, word_count);
                if (found != expected) {
                    printf("dirtymem: pass=%lu checksum=%016llx MISMATCH expected=%016llx\n", pass,
                           (unsigned long long)found, (unsigned long long)expected);
                    return 2;
                }
                printf("dirtymem: pass=%lu checksum=%016llx ok\n", pass, (unsigned long long)found);
                if (timer_due)
                    next_report = seconds_now() + report_seconds;
            }
        }
    }
}
