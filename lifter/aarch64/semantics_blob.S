// The A64 semantics bitcode, embedded so the binaries need no data files.
        .section .rodata
        .balign 16
        .globl xlat_a64_semantics_bc
        .globl xlat_a64_semantics_bc_end
xlat_a64_semantics_bc:
        .incbin A64_SEM_BC_PATH
xlat_a64_semantics_bc_end:
        .byte 0
        .section .note.GNU-stack,"",@progbits
