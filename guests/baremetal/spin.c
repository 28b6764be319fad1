/* A bare-metal program for osgemu's virt board that runs until it is stopped from outside:
 * prints one line over the NS16550A UART, then waits for interrupts forever (none are
 * enabled, so the hart sleeps and costs no host CPU). For tests that drive a running
 * machine over QMP or the monitor. */
#include <stdint.h>

#define UART_BASE     0x10000000UL
#define UART_THR      0
#define UART_LSR      5
#define UART_LSR_THRE 0x20

static volatile uint8_t *const uart = (volatile uint8_t *)UART_BASE;

static void put_string(const char *s) {
    for (; *s; s++) {
        if (*s == '\n') {
            while ((uart[UART_LSR] & UART_LSR_THRE) == 0) {
            }
            uart[UART_THR] = '\r';
        }
        while ((uart[UART_LSR] & UART_LSR_THRE) == 0) {
        }
        uart[UART_THR] = (uint8_t)*s;
    }
}

void finish(int status) {
    (void)status;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

int main(void) {
    put_string("osgemu spin: running until stopped\n");
    for (;;) {
        __asm__ volatile("wfi");
    }
    return 0;
}
