/* State field offsets for the glue stencils (glue.S), which cannot use
   offsetof: RvState's (XLAT_RV_*) and A64State's (XLAT_A64_*), which have
   the same runner fields. template_tier.cpp checks them against the
   structs. */
#define XLAT_RV_PC 512
#define XLAT_RV_EXIT_REASON 520
#define XLAT_RV_INTERRUPT 532
#define XLAT_RV_MEMBASE 568
#define XLAT_RV_MEMLIMIT 576
#define XLAT_RV_IBTC 584
#define XLAT_RV_BLOCKS_RUN 592
#define XLAT_RV_IBTC_PROBES 600
#define XLAT_RV_IBTC_HITS 608
#define XLAT_RV_SHADOW_TOP 616
#define XLAT_RV_SHADOW_PROBES 624
#define XLAT_RV_SHADOW_HITS 632
#define XLAT_RV_SHADOW 640

#define XLAT_A64_PC 0
#define XLAT_A64_EXIT_REASON 296
#define XLAT_A64_INTERRUPT 880
#define XLAT_A64_MEMBASE 896
#define XLAT_A64_MEMLIMIT 904
#define XLAT_A64_IBTC 912
#define XLAT_A64_BLOCKS_RUN 920
#define XLAT_A64_IBTC_PROBES 928
#define XLAT_A64_IBTC_HITS 936
#define XLAT_A64_SHADOW_TOP 944
#define XLAT_A64_SHADOW_PROBES 952
#define XLAT_A64_SHADOW_HITS 960
#define XLAT_A64_SHADOW 968

/* Shared by both. */
#define XLAT_SHADOW_MASK 63
#define XLAT_EXIT_HOT 7
#define XLAT_IBTC_MASK 4095
