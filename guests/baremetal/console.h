/* Console output over the virt board's NS16550A UART, shared by the bare-metal test programs:
 * polled transmit (wait for THRE), "\n" sent as "\r\n", decimal and hexadecimal numbers. */
#ifndef OSGEMU_BAREMETAL_CONSOLE_H
#define OSGEMU_BAREMETAL_CONSOLE_H

#include <stdint.h>

#define UART_BASE      0x10000000UL
#define UART_RBR       0
#define UART_THR       0
#define UART_LSR       5
#define UART_LSR_DR    0x01
#define UART_LSR_THRE  0x20

static volatile uint8_t *const uart = (volatile uint8_t *)UART_BASE;

static inline void put_char(char c) {
    while ((uart[UART_LSR] & UART_LSR_THRE) == 0) {
    }
    uart[UART_THR] = (uint8_t)c;
}

static inline void put_string(const char *s) {
    while (*s) {
        if (*s == '\n') put_char('\r');
        put_char(*s++);
    }
}

static inline void put_decimal(uint64_t v) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) put_char(digits[--n]);
}

/* The low `digits` hexadecimal digits of v, without a prefix. */
static inline void put_hex_digits(uint64_t v, int digits) {
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
        put_char("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

/* v as 0x followed by 16 hexadecimal digits. */
static inline void put_hex(uint64_t v) {
    put_string("0x");
    put_hex_digits(v, 16);
}

#endif
