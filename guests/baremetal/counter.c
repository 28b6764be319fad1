/* A bare-metal program for osgemu's virt board that counts forever: it prints "count N" over
 * the NS16550A UART every 100 ms of guest time, as the CLINT's mtime measures it, sleeping in
 * WFI until the CLINT's timer compare (mtimecmp) raises the machine timer interrupt. Used to
 * check that a snapshot restores RAM, the hart, the CLINT and guest time: after a restore the
 * count goes on from the saved value, on time. */
#include <stdint.h>

#define UART_BASE      0x10000000UL
#define UART_THR       0
#define UART_LSR       5
#define UART_LSR_THRE  0x20
#define CLINT_BASE     0x2000000UL
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000) /* hart 0 */
#define CLINT_MTIME    (CLINT_BASE + 0xbff8)
#define TIMEBASE_HZ    10000000UL            /* the virt board's timebase-frequency */
#define PERIOD_TICKS   (TIMEBASE_HZ / 10)    /* 100 ms */
#define MIE_MTIE       (1UL << 7)

static volatile uint8_t *const uart = (volatile uint8_t *)UART_BASE;
static volatile uint64_t *const mtimecmp = (volatile uint64_t *)CLINT_MTIMECMP;
static volatile uint64_t *const mtime = (volatile uint64_t *)CLINT_MTIME;

/* In RAM rather than a register, so that a restore must bring RAM back for the count to go on. */
static volatile uint64_t count;

static void put_char(char c) {
    while ((uart[UART_LSR] & UART_LSR_THRE) == 0) {
    }
    uart[UART_THR] = (uint8_t)c;
}

static void put_string(const char *s) {
    while (*s) {
        if (*s == '\n') put_char('\r');
        put_char(*s++);
    }
}

static void put_decimal(uint64_t v) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) put_char(digits[--n]);
}

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
