/* A bare-metal program for osgemu's virt board that shows each time it starts over, for tests
 * of the monitor's stop/cont/system_reset and of the reset a guest asks for.
 *
 * At each start it prints
 *     resettable: start hart 0 fdt d00dfeed
 * where the last word is the magic number at the device tree address the boot ROM passed in a1.
 * It then overwrites that magic with zeros: a reset that really reloads the device tree shows
 * d00dfeed again, one that does not shows 00000000. It puts MARKER (below) in s11, which no C
 * code touches (the build passes -ffixed-s11), so the monitor's `info registers` can find it.
 *
 * Every 100 ms of guest time (the CLINT's mtime) it prints "tick N", N counting from 1 in a
 * variable of the loaded image: after a reset that reloads the image the ticks start at 1 again.
 * Every 10 ms it looks at the UART's receiver: an 'r' makes it print "resettable: reset
 * requested" and write 0x7777 (reset) to the SiFive test finisher, so the machine starts over. */
#include <stdint.h>

#include "console.h"

#define CLINT_BASE     0x2000000UL
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000) /* hart 0 */
#define CLINT_MTIME    (CLINT_BASE + 0xbff8)
#define TIMEBASE_HZ    10000000UL            /* the virt board's timebase-frequency */
#define POLL_TICKS     (TIMEBASE_HZ / 100)   /* 10 ms */
#define POLLS_PER_TICK 10                    /* a tick line every 100 ms */
#define MIE_MTIE       (1UL << 7)
#define FINISHER       0x100000UL
#define FINISHER_RESET 0x7777
#define FDT_MAGIC_BE   0xd00dfeedU
#define MARKER         0x05eed0cafe5eed11UL

static volatile uint64_t *const mtimecmp = (volatile uint64_t *)CLINT_MTIMECMP;
static volatile uint64_t *const mtime = (volatile uint64_t *)CLINT_MTIME;

/* Initialised, so it lives in .data, which comes from the ELF file: a reload resets it. */
static volatile uint64_t ticks = 1;

/* Sleeps until mtime reaches deadline: only mie.MTIE is set, not mstatus.MIE, so the pending
 * timer interrupt ends WFI without trapping (no trap handler needed). */
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

int main(uint64_t hart, volatile uint32_t *fdt) {
    /* The device tree is big-endian; the hart reads little-endian words. */
    uint32_t word = *fdt;
    uint32_t magic = word << 24 | (word & 0xff00) << 8 | (word >> 8 & 0xff00) | word >> 24;
    put_string("resettable: start hart ");
    put_decimal(hart);
    put_string(" fdt ");
    put_hex_digits(magic, 8);
    put_string("\n");
    *fdt = 0;
    __asm__ volatile("li s11, %0" : : "i"(MARKER));
    __asm__ volatile("csrs mie, %0" : : "r"(MIE_MTIE));
    uint64_t next = *mtime;
    for (;;) {
        for (int poll = 0; poll < POLLS_PER_TICK; poll++) {
            next += POLL_TICKS;
            sleep_until(next);
            if ((uart[UART_LSR] & UART_LSR_DR) != 0 && uart[UART_RBR] == 'r') {
                put_string("resettable: reset requested\n");
                *(volatile uint32_t *)FINISHER = FINISHER_RESET;
            }
        }
        put_string("tick ");
        put_decimal(ticks);
        put_string("\n");
        ticks++;
    }
}
