/* A bare-metal program for osgemu's virt board: prints over the NS16550A UART and
 * ends through the SiFive test finisher with the status given by EXIT_STATUS. */
#include <stdint.h>

#ifndef EXIT_STATUS
#define EXIT_STATUS 0
#endif

#define UART_BASE     0x10000000UL
#define UART_THR      0
#define UART_LSR      5
#define UART_LSR_THRE 0x20
#define FINISHER      0x100000UL
#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

static volatile uint8_t *const uart = (volatile uint8_t *)UART_BASE;

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

static void put_hex(uint64_t v) {
    put_string("0x");
    for (int shift = 60; shift >= 0; shift -= 4) {
        put_char("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

void finish(int status) {
    volatile uint32_t *finisher = (volatile uint32_t *)FINISHER;
    *finisher = status == 0 ? FINISHER_PASS : (((uint32_t)status << 16) | FINISHER_FAIL);
    for (;;) {
    }
}

int main(void) {
    uint64_t isa;
    __asm__ volatile("csrr %0, misa" : "=r"(isa));
    put_string("Hello from osgemu bare metal\n");
    put_string("misa = ");
    put_hex(isa);
    put_string("\n");
    uint64_t sum = 0;
    for (uint64_t i = 1; i <= 1000; i++) {
        sum += i * i;
    }
    put_string(sum == 333833500 ? "arithmetic ok\n" : "arithmetic WRONG\n");
    return EXIT_STATUS;
}
