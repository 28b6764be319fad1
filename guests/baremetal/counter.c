/* A bare-metal program for osgemu's virt board that counts forever: it prints "count N" over
 * the NS16550A UART every 100 ms of guest time, as the CLINT's mtime measures it, sleeping in
 * WFI until the CLINT's timer compare (mtimecmp) raises the machine timer interrupt. Used to
 * check that a snapshot restores RAM, the hart, the CLINT and guest time: after a restore the
 * count goes on from the saved value, on time. */
#include <stdint.h>

#include "console.h"

#define CLINT_BASE     0x2000000UL
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000) /* hart 0 */
#define CLINT_MTIME    (CLINT_BASE + 0xbff8)
#define TIMEBASE_HZ    10000000UL            /* the virt board's timebase-frequency */
#define PERIOD_TICKS   (TIMEBASE_HZ / 10)    /* 100 ms */
#define MIE_MTIE       (1UL << 7)

static volatile uint64_t *const mtimecmp = (volatile uint64_t *)CLINT_MTIMECMP;
static volatile uint64_t *const mtime = (volatile uint64_t *)CLINT_MTIME;

/* In RAM rather than a register, so that a restore must bring RAM back for the count to go on. */
static volatile uint64_t count;

/* Sleeps until mtime reaches deadline. Only mie.MTIE is set, not mstatus.MIE: the pending
 * timer interrupt ends WFI without trapping, so no trap handler is needed. */
static void sleep_until(uint64_t deadline) {
    *mtimecmp = deadline;
    while (*mtime < deadline) {
        __asm__ volatile("wfi");
    }
}

/* start.S calls this when main returns, which it never does. */
void finish(int status) {
    (void)status;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

int main(void) {
    __asm__ volatile("csrs mie, %0" : : "r"(MIE_MTIE));
    uint64_t next = *mtime;
    for (;;) {
        next += PERIOD_TICKS;
        sleep_until(next);
        put_string("count ");
        put_decimal(count);
        put_string("\n");
        count++;
    }
}
