/* RvState field offsets for the glue stencils (glue.S), which cannot use
   offsetof. template_tier.cpp checks them against the struct. */
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
#define XLAT_RV_SHADOW_MASK 63
#define XLAT_RV_EXIT_HOT 7
#define XLAT_RV_IBTC_MASK 4095
