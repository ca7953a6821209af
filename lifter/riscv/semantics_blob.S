// The semantics bitcode, embedded so the binaries need no data files.
        .section .rodata
        .balign 16
        .globl xlat_rv64_semantics_bc
        .globl xlat_rv64_semantics_bc_end
xlat_rv64_semantics_bc:
        .incbin RV_SEM_BC_PATH
xlat_rv64_semantics_bc_end:
        .byte 0
        .section .note.GNU-stack,"",@progbits
