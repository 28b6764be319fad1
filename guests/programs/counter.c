/*
 * counter: prints "count N" with N = 1, 2, 3, ... about every 0.2 s, forever.
 *
 * Snapshot tests run it, save the machine, restore it and check that the numbers go on
 * from where they were, without a gap or a repeat. The pause is relative (not an absolute
 * deadline), so a guest clock that jumps on restore gives one late line, never a burst.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

int main(void)
{
    /* Unbuffered: when stdout is a pipe, each line must still leave at once. */
    setvbuf(stdout, NULL, _IONBF, 0);
    for (unsigned long count = 1;; count++) {
        printf("count %lu\n", count);
        struct timespec pause = { .tv_sec = 0, .tv_nsec = 200000000L };
        while (nanosleep(&pause, &pause) != 0) {
            if (errno != EINTR) {
                perror("counter: nanosleep");
                return 1;
            }
            /* Interrupted by a signal (e.g. SIGCONT after Ctrl-Z): sleep what is left. */
        }
    }
}
