/* Entry of osgemu's bare-metal test programs: hart 0 runs main() on a small stack,
 * the other harts wait for interrupts forever. main's return value becomes the
 * emulator's exit status through the SiFive test finisher. */
    .section .text.start
    .globl _start
_start:
    csrr    t0, mhartid
    bnez    t0, park
    la      sp, __stack_top
    call    main
    call    finish
park:
    wfi
    j       park
