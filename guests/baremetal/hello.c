/* A bare-metal program for osgemu's virt board: prints over the NS16550A UART and
 * ends through the SiFive test finisher with the status given by EXIT_STATUS. */
#include <stdint.h>

#include "console.h"

#ifndef EXIT_STATUS
#define EXIT_STATUS 0
#endif

#define FINISHER      0x100000UL
#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

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
