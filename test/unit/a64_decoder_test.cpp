// The A64 decoder against LLVM's MC disassembler (AArch64, with the CRC32
// and LSE features the table covers): every encoding the table lists
// decodes as LLVM decodes it, words LLVM decodes as a covered instruction
// decode as that instruction, and the fields of known instructions are
// what the assembler put there.
#include "lifter/aarch64/decoder.h"

#include "test/unit/llvm_mc.h"

#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <string>

using namespace xlat::a64;

namespace {

class LlvmAarch64 {
public:
  LlvmAarch64() : mc(init(), "generic", "+crc,+lse") {}
  bool ok() const { return mc.disasm != nullptr; }

  // LLVM's opcode name for the word (ADDXri, LDRBBpost, ...), or nullopt
  // if it rejects it. An encoding the architecture calls unpredictable
  // (LLVM's soft fail) is still an instruction.
  std::optional<std::string> opcode(uint32_t word) const {
    llvm::MCInst inst;
    uint64_t size = 0;
    if (mc.decode(word, 4, inst, size) == llvm::MCDisassembler::Fail || size != 4)
      return std::nullopt;
    std::string name = mc.mii->getName(inst.getOpcode()).str();
    // LLVM takes any op0 for mrs and msr; the architecture has op0 0 and 1
    // for other instructions (SYS, SYSL) or none.
    if ((name == "MRS" || name == "MSR") && !(word & (1u << 20)))
      return std::nullopt;
    return name;
  }

private:
  static const char *init() {
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64Disassembler();
    return "aarch64-unknown-linux-gnu";
  }
  xlat::test::LlvmMc mc;
};

const LlvmAarch64 &oracle() {
  static const LlvmAarch64 o;
  return o;
}

// The LLVM opcodes each of ours stands for.
const std::map<Op, std::regex> &llvmOpcodes() {
  static const std::map<Op, std::regex> m = [] {
    std::map<Op, std::string> s = {
        {Op::ADR, "ADR"}, {Op::ADRP, "ADRP"},
        {Op::ADD_IMM, "ADD[WX]ri"}, {Op::ADDS_IMM, "ADDS[WX]ri"},
        {Op::SUB_IMM, "SUB[WX]ri"}, {Op::SUBS_IMM, "SUBS[WX]ri"},
        {Op::AND_IMM, "AND[WX]ri"}, {Op::ORR_IMM, "ORR[WX]ri"},
        {Op::EOR_IMM, "EOR[WX]ri"}, {Op::ANDS_IMM, "ANDS[WX]ri"},
        {Op::MOVN, "MOVN[WX]i"}, {Op::MOVZ, "MOVZ[WX]i"}, {Op::MOVK, "MOVK[WX]i"},
        {Op::SBFM, "SBFM[WX]ri"}, {Op::BFM, "BFM[WX]ri"}, {Op::UBFM, "UBFM[WX]ri"},
        {Op::EXTR, "EXTR[WX]rri"},
        {Op::B, "B"}, {Op::BL, "BL"}, {Op::B_COND, "Bcc"},
        {Op::CBZ, "CBZ[WX]"}, {Op::CBNZ, "CBNZ[WX]"},
        {Op::TBZ, "TBZ[WX]"}, {Op::TBNZ, "TBNZ[WX]"},
        {Op::BR, "BR"}, {Op::BLR, "BLR"}, {Op::RET, "RET"},
        {Op::SVC, "SVC"}, {Op::BRK, "BRK"},
        // The pointer-authentication and other later instructions of the
        // hint space are hints (no-ops) where those features are not
        // implemented, as here.
        {Op::HINT, "HINT|(PAC|AUT)I[AB](SP|Z|1716)|XPACLRI|PACM|CHKFEAT"}, {Op::CLREX, "CLREX"}, {Op::DSB, "DSB"}, {Op::DMB, "DMB"},
        {Op::ISB, "ISB"}, {Op::MSR_REG, "MSR"}, {Op::MRS, "MRS"}, {Op::SYS, "SYSxt"},
        {Op::AND_REG, "AND[WX]rs"}, {Op::BIC, "BIC[WX]rs"}, {Op::ORR_REG, "ORR[WX]rs"},
        {Op::ORN, "ORN[WX]rs"}, {Op::EOR_REG, "EOR[WX]rs"}, {Op::EON, "EON[WX]rs"},
        {Op::ANDS_REG, "ANDS[WX]rs"}, {Op::BICS, "BICS[WX]rs"},
        {Op::ADD_REG, "ADD[WX]r[sx]|ADDXrx64"}, {Op::ADDS_REG, "ADDS[WX]r[sx]|ADDSXrx64"},
        {Op::SUB_REG, "SUB[WX]r[sx]|SUBXrx64"}, {Op::SUBS_REG, "SUBS[WX]r[sx]|SUBSXrx64"},
        {Op::ADC, "ADC[WX]r"}, {Op::ADCS, "ADCS[WX]r"},
        {Op::SBC, "SBC[WX]r"}, {Op::SBCS, "SBCS[WX]r"},
        {Op::CCMN, "CCMN[WX][ri]"}, {Op::CCMP, "CCMP[WX][ri]"},
        {Op::CSEL, "CSEL[WX]r"}, {Op::CSINC, "CSINC[WX]r"},
        {Op::CSINV, "CSINV[WX]r"}, {Op::CSNEG, "CSNEG[WX]r"},
        {Op::RBIT, "RBIT[WX]r"}, {Op::REV16, "REV16[WX]r"}, {Op::REV32, "REV32Xr"},
        {Op::REV, "REV[WX]r"}, {Op::CLZ, "CLZ[WX]r"}, {Op::CLS, "CLS[WX]r"},
        {Op::UDIV, "UDIV[WX]r"}, {Op::SDIV, "SDIV[WX]r"}, {Op::LSLV, "LSLV[WX]r"},
        {Op::LSRV, "LSRV[WX]r"}, {Op::ASRV, "ASRV[WX]r"}, {Op::RORV, "RORV[WX]r"},
        {Op::CRC32, "CRC32[BHWX]rr"}, {Op::CRC32C, "CRC32C[BHWX]rr"},
        {Op::MADD, "MADD[WX]rrr"}, {Op::MSUB, "MSUB[WX]rrr"},
        {Op::SMADDL, "SMADDLrrr"}, {Op::SMSUBL, "SMSUBLrrr"}, {Op::SMULH, "SMULHrr"},
        {Op::UMADDL, "UMADDLrrr"}, {Op::UMSUBL, "UMSUBLrrr"}, {Op::UMULH, "UMULHrr"},
        {Op::STRB, "STRBB(ui|pre|post|ro[WX])|STURBBi|STTRBi"},
        {Op::LDRB, "LDRBB(ui|pre|post|ro[WX])|LDURBBi|LDTRBi"},
        {Op::LDRSB_X, "LDRSBX(ui|pre|post|ro[WX])|LDURSBXi|LDTRSBXi"},
        {Op::LDRSB_W, "LDRSBW(ui|pre|post|ro[WX])|LDURSBWi|LDTRSBWi"},
        {Op::STRH, "STRHH(ui|pre|post|ro[WX])|STURHHi|STTRHi"},
        {Op::LDRH, "LDRHH(ui|pre|post|ro[WX])|LDURHHi|LDTRHi"},
        {Op::LDRSH_X, "LDRSHX(ui|pre|post|ro[WX])|LDURSHXi|LDTRSHXi"},
        {Op::LDRSH_W, "LDRSHW(ui|pre|post|ro[WX])|LDURSHWi|LDTRSHWi"},
        {Op::STR_W, "STRW(ui|pre|post|ro[WX])|STURWi|STTRWi"},
        {Op::LDR_W, "LDRW(ui|pre|post|ro[WX]|l)|LDURWi|LDTRWi"},
        {Op::LDRSW, "LDRSW(ui|pre|post|ro[WX]|l)|LDURSWi|LDTRSWi"},
        {Op::STR_X, "STRX(ui|pre|post|ro[WX])|STURXi|STTRXi"},
        {Op::LDR_X, "LDRX(ui|pre|post|ro[WX]|l)|LDURXi|LDTRXi"},
        // RPRFM, the range prefetch of later architectures, is a prefetch
        // whose operation is reserved before: a no-op.
        {Op::PRFM, "PRFM(ui|ro[WX]|l)|PRFUMi|RPRFM"},
        {Op::STP_W, "STPW(i|pre|post)|STNPWi"}, {Op::LDP_W, "LDPW(i|pre|post)|LDNPWi"},
        {Op::LDPSW, "LDPSW(i|pre|post)"},
        {Op::STP_X, "STPX(i|pre|post)|STNPXi"}, {Op::LDP_X, "LDPX(i|pre|post)|LDNPXi"},
        {Op::STR_V, "STR[BHSDQ](ui|pre|post|ro[WX])|STUR[BHSDQ]i"},
        {Op::LDR_V, "LDR[BHSDQ](ui|pre|post|ro[WX]|l)|LDUR[BHSDQ]i"},
        {Op::STP_V, "STP[SDQ](i|pre|post)|STNP[SDQ]i"},
        {Op::FMOV_R, "FMOV[SD]r"}, {Op::FABS, "FABS([SD]r|v(2f32|4f32|2f64))"}, {Op::FNEG, "FNEG([SD]r|v(2f32|4f32|2f64))"},
        {Op::FMOV_TO_GP, "FMOV(SWr|DXr|DXHighr)"},
        {Op::FMOV_FROM_GP, "FMOV(WSr|XDr|XDHighr)"},
        {Op::FMOV_IMM, "FMOV[SD]i"}, {Op::FCSEL, "FCSEL[SD]rrr"},
        {Op::FCMP, "FCMPE?[SD]r[ri]"}, {Op::FCCMP, "FCCMPE?[SD]rr"},
        {Op::FMUL, "FMUL([SD]rr|v(2f32|4f32|2f64))"}, {Op::FDIV, "FDIV([SD]rr|v(2f32|4f32|2f64))"}, {Op::FADD, "FADD([SD]rr|v(2f32|4f32|2f64))"},
        {Op::FSUB, "FSUB([SD]rr|v(2f32|4f32|2f64))"}, {Op::FMAX, "FMAX([SD]rr|v(2f32|4f32|2f64))"}, {Op::FMIN, "FMIN([SD]rr|v(2f32|4f32|2f64))"},
        {Op::FMAXNM, "FMAXNM([SD]rr|v(2f32|4f32|2f64))"}, {Op::FMINNM, "FMINNM([SD]rr|v(2f32|4f32|2f64))"},
        {Op::FNMUL, "FNMUL[SD]rr"}, {Op::FSQRT, "FSQRT([SD]r|v(2f32|4f32|2f64))"},
        {Op::FCVT_SD, "FCVTSDr"}, {Op::FCVT_DS, "FCVTDSr"},
        {Op::SCVTF, "SCVTF[SU][WX][SD]ri"}, {Op::UCVTF, "UCVTF[SU][WX][SD]ri"},
        {Op::FCVTZS, "FCVTZS(U[WX][SD]r|S[WX][SD]ri)"}, {Op::FCVTZU, "FCVTZU(U[WX][SD]r|S[WX][SD]ri)"},
        {Op::FMADD, "FMADD[SD]rrr"}, {Op::FMSUB, "FMSUB[SD]rrr"},
        {Op::FNMADD, "FNMADD[SD]rrr"}, {Op::FNMSUB, "FNMSUB[SD]rrr"},
        {Op::LDP_V, "LDP[SDQ](i|pre|post)|LDNP[SDQ]i"},
        {Op::STXR, "STXR[BHWX]"}, {Op::STLXR, "STLXR[BHWX]"},
        {Op::LDXR, "LDXR[BHWX]"}, {Op::LDAXR, "LDAXR[BHWX]"},
        {Op::STXP, "STXP[WX]"}, {Op::STLXP, "STLXP[WX]"},
        {Op::LDXP, "LDXP[WX]"}, {Op::LDAXP, "LDAXP[WX]"},
        {Op::STLR, "STLR[BHWX]"}, {Op::LDAR, "LDAR[BHWX]"},
        {Op::CAS, "CAS(A|L|AL)?[BHWX]"}, {Op::CASP, "CASP(A|L|AL)?[WX]"},
        {Op::LDADD, "LDADD(A|L|AL)?[BHWX]"}, {Op::LDCLR, "LDCLR(A|L|AL)?[BHWX]"},
        {Op::LDEOR, "LDEOR(A|L|AL)?[BHWX]"}, {Op::LDSET, "LDSET(A|L|AL)?[BHWX]"},
        {Op::LDSMAX, "LDSMAX(A|L|AL)?[BHWX]"}, {Op::LDSMIN, "LDSMIN(A|L|AL)?[BHWX]"},
        {Op::LDUMAX, "LDUMAX(A|L|AL)?[BHWX]"}, {Op::LDUMIN, "LDUMIN(A|L|AL)?[BHWX]"},
        {Op::SWP, "SWP(A|L|AL)?[BHWX]"},
        // AdvSIMD.
        {Op::SQDMLAL_E, "SQDMLAL(v4i16|v8i16|v2i32|v4i32|v1i32|v1i64)_indexed"},
        {Op::SQDMLSL_E, "SQDMLSL(v4i16|v8i16|v2i32|v4i32|v1i32|v1i64)_indexed"},
        {Op::SQDMULL_E, "SQDMULL(v4i16|v8i16|v2i32|v4i32|v1i32|v1i64)_indexed"},
        {Op::FRECPS, "FRECPS(v(2f32|4f32|2f64)|32|64)"},
        {Op::FRSQRTS, "FRSQRTS(v(2f32|4f32|2f64)|32|64)"},
        {Op::FRECPE, "FRECPE(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FRSQRTE, "FRSQRTE(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::URECPE, "URECPEv(2i32|4i32)"},
        {Op::URSQRTE, "URSQRTEv(2i32|4i32)"},
        {Op::FRECPX, "FRECPXv1i(32|64)"},
        {Op::FCVTXN, "FCVTXN(v2f32|v4f32|v1i64)"},
        {Op::FCVT_HS, "FCVTHSr"},
        {Op::FCVT_HD, "FCVTHDr"},
        {Op::FCVT_SH, "FCVTSHr"},
        {Op::FCVT_DH, "FCVTDHr"},
        {Op::FRINTN, "FRINTN([SD]r|v(2f32|4f32|2f64))"},
        {Op::FRINTP, "FRINTP([SD]r|v(2f32|4f32|2f64))"},
        {Op::FRINTM, "FRINTM([SD]r|v(2f32|4f32|2f64))"},
        {Op::FRINTZ, "FRINTZ([SD]r|v(2f32|4f32|2f64))"},
        {Op::FRINTA, "FRINTA([SD]r|v(2f32|4f32|2f64))"},
        {Op::FRINTX, "FRINTX([SD]r|v(2f32|4f32|2f64))"},
        {Op::FRINTI, "FRINTI([SD]r|v(2f32|4f32|2f64))"},
        {Op::FCVTNS, "FCVTNSU[WX][SD]r"},
        {Op::FCVTNU, "FCVTNUU[WX][SD]r"},
        {Op::FCVTPS, "FCVTPSU[WX][SD]r"},
        {Op::FCVTPU, "FCVTPUU[WX][SD]r"},
        {Op::FCVTMS, "FCVTMSU[WX][SD]r"},
        {Op::FCVTMU, "FCVTMUU[WX][SD]r"},
        {Op::FCVTAS, "FCVTASU[WX][SD]r"},
        {Op::FCVTAU, "FCVTAUU[WX][SD]r"},
        {Op::FCVTNS_V, "FCVTNS(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FCVTNU_V, "FCVTNU(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FCVTPS_V, "FCVTPS(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FCVTPU_V, "FCVTPU(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FCVTMS_V, "FCVTMS(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FCVTMU_V, "FCVTMU(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FCVTAS_V, "FCVTAS(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FCVTAU_V, "FCVTAU(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FCVTZS_V, "FCVTZS(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FCVTZU_V, "FCVTZU(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::SCVTF_V, "SCVTF(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::UCVTF_V, "UCVTF(v(2f32|4f32|2f64)|v1i32|v1i64)"},
        {Op::FMLA, "FMLAv(2f32|4f32|2f64)"},
        {Op::FMLS, "FMLSv(2f32|4f32|2f64)"},
        {Op::FMULX, "FMULX(v(2f32|4f32|2f64)|32|64)"},
        {Op::FCMEQ, "FCMEQ(v(2f32|4f32|2f64)|32|64)"},
        {Op::FCMGE, "FCMGE(v(2f32|4f32|2f64)|32|64)"},
        {Op::FCMGT, "FCMGT(v(2f32|4f32|2f64)|32|64)"},
        {Op::FACGE, "FACGE(v(2f32|4f32|2f64)|32|64)"},
        {Op::FACGT, "FACGT(v(2f32|4f32|2f64)|32|64)"},
        {Op::FABD, "FABD(v(2f32|4f32|2f64)|32|64)"},
        {Op::FCMEQ_Z, "FCMEQ(v2i32|v4i32|v2i64|v1i32|v1i64)rz"},
        {Op::FCMGE_Z, "FCMGE(v2i32|v4i32|v2i64|v1i32|v1i64)rz"},
        {Op::FCMGT_Z, "FCMGT(v2i32|v4i32|v2i64|v1i32|v1i64)rz"},
        {Op::FCMLE_Z, "FCMLE(v2i32|v4i32|v2i64|v1i32|v1i64)rz"},
        {Op::FCMLT_Z, "FCMLT(v2i32|v4i32|v2i64|v1i32|v1i64)rz"},
        {Op::FADDP, "FADDP(v(2f32|4f32|2f64)|v2i32p|v2i64p)"},
        {Op::FMAXP, "FMAXP(v(2f32|4f32|2f64)|v2i32p|v2i64p)"},
        {Op::FMINP, "FMINP(v(2f32|4f32|2f64)|v2i32p|v2i64p)"},
        {Op::FMAXNMP, "FMAXNMP(v(2f32|4f32|2f64)|v2i32p|v2i64p)"},
        {Op::FMINNMP, "FMINNMP(v(2f32|4f32|2f64)|v2i32p|v2i64p)"},
        {Op::FMAXV, "FMAXVv4i32v"},
        {Op::FMINV, "FMINVv4i32v"},
        {Op::FMAXNMV, "FMAXNMVv4i32v"},
        {Op::FMINNMV, "FMINNMVv4i32v"},
        {Op::FCVTN, "FCVTN(v2i32|v4i32|v4i16|v8i16)"},
        {Op::FCVTL, "FCVTL(v2i32|v4i32|v4i16|v8i16)"},
        {Op::FMLA_E, "FMLA(v2i32|v4i32|v2i64)_indexed|FMLA(v1i32|v1i64)_indexed"},
        {Op::FMLS_E, "FMLS(v2i32|v4i32|v2i64|v1i32|v1i64)_indexed"},
        {Op::FMUL_E, "FMUL(v2i32|v4i32|v2i64|v1i32|v1i64)_indexed"},
        {Op::FMULX_E, "FMULX(v2i32|v4i32|v2i64|v1i32|v1i64)_indexed"},
        {Op::SCVTF_FIX, "SCVTF(v2i32|v4i32|v2i64)_shift|SCVTF[sd]"},
        {Op::UCVTF_FIX, "UCVTF(v2i32|v4i32|v2i64)_shift|UCVTF[sd]"},
        {Op::FCVTZS_FIX, "FCVTZS(v2i32|v4i32|v2i64)_shift|FCVTZS[sd]"},
        {Op::FCVTZU_FIX, "FCVTZU(v2i32|v4i32|v2i64)_shift|FCVTZU[sd]"},
        {Op::SHADD, "SHADDv\\d+i\\d+"},
        {Op::UHADD, "UHADDv\\d+i\\d+"},
        {Op::SQADD, "SQADDv\\d+i\\d+"},
        {Op::UQADD, "UQADDv\\d+i\\d+"},
        {Op::SRHADD, "SRHADDv\\d+i\\d+"},
        {Op::URHADD, "URHADDv\\d+i\\d+"},
        {Op::SHSUB, "SHSUBv\\d+i\\d+"},
        {Op::UHSUB, "UHSUBv\\d+i\\d+"},
        {Op::SQSUB, "SQSUBv\\d+i\\d+"},
        {Op::UQSUB, "UQSUBv\\d+i\\d+"},
        {Op::CMGT, "CMGTv\\d+i\\d+"},
        {Op::CMHI, "CMHIv\\d+i\\d+"},
        {Op::CMGE, "CMGEv\\d+i\\d+"},
        {Op::CMHS, "CMHSv\\d+i\\d+"},
        {Op::SSHL, "SSHLv\\d+i\\d+"},
        {Op::USHL, "USHLv\\d+i\\d+"},
        {Op::SQSHL, "SQSHLv\\d+i\\d+"},
        {Op::UQSHL, "UQSHLv\\d+i\\d+"},
        {Op::SRSHL, "SRSHLv\\d+i\\d+"},
        {Op::URSHL, "URSHLv\\d+i\\d+"},
        {Op::SQRSHL, "SQRSHLv\\d+i\\d+"},
        {Op::UQRSHL, "UQRSHLv\\d+i\\d+"},
        {Op::SMAX, "SMAXv\\d+i\\d+"},
        {Op::UMAX, "UMAXv\\d+i\\d+"},
        {Op::SMIN, "SMINv\\d+i\\d+"},
        {Op::UMIN, "UMINv\\d+i\\d+"},
        {Op::SABD, "SABDv\\d+i\\d+"},
        {Op::UABD, "UABDv\\d+i\\d+"},
        {Op::SABA, "SABAv\\d+i\\d+"},
        {Op::UABA, "UABAv\\d+i\\d+"},
        {Op::CMTST, "CMTSTv\\d+i\\d+"},
        {Op::CMEQ, "CMEQv\\d+i\\d+"},
        {Op::MLA, "MLAv\\d+i\\d+"},
        {Op::MLS, "MLSv\\d+i\\d+"},
        {Op::MUL, "MULv\\d+i\\d+"},
        {Op::PMUL, "PMULv\\d+i\\d+"},
        {Op::SMAXP, "SMAXPv\\d+i\\d+"},
        {Op::UMAXP, "UMAXPv\\d+i\\d+"},
        {Op::SMINP, "SMINPv\\d+i\\d+"},
        {Op::UMINP, "UMINPv\\d+i\\d+"},
        {Op::SQDMULH, "SQDMULHv\\d+i\\d+"},
        {Op::SQRDMULH, "SQRDMULHv\\d+i\\d+"},
        {Op::SUQADD, "SUQADDv\\d+i\\d+"},
        {Op::USQADD, "USQADDv\\d+i\\d+"},
        {Op::SQABS, "SQABSv\\d+i\\d+"},
        {Op::SQNEG, "SQNEGv\\d+i\\d+"},
        {Op::CNT, "CNTv\\d+i\\d+"},
        {Op::UZP1, "UZP1v\\d+i\\d+"},
        {Op::UZP2, "UZP2v\\d+i\\d+"},
        {Op::TRN1, "TRN1v\\d+i\\d+"},
        {Op::TRN2, "TRN2v\\d+i\\d+"},
        {Op::ZIP1, "ZIP1v\\d+i\\d+"},
        {Op::ZIP2, "ZIP2v\\d+i\\d+"},
        {Op::XTN, "XTNv\\d+i\\d+"},
        {Op::SQXTN, "SQXTNv\\d+i\\d+"},
        {Op::UQXTN, "UQXTNv\\d+i\\d+"},
        {Op::SQXTUN, "SQXTUNv\\d+i\\d+"},
        {Op::SHLL, "SHLLv\\d+i\\d+"},
        {Op::ADD_V, "ADDv\\d+i\\d+"},
        {Op::SUB_V, "SUBv\\d+i\\d+"},
        {Op::REV64_V, "REV64v\\d+i\\d+"},
        {Op::REV32_V, "REV32v\\d+i\\d+"},
        {Op::REV16_V, "REV16v\\d+i\\d+"},
        {Op::CLS_V, "CLSv\\d+i\\d+"},
        {Op::CLZ_V, "CLZv\\d+i\\d+"},
        {Op::NOT_V, "NOTv\\d+i\\d+"},
        {Op::RBIT_V, "RBITv\\d+i\\d+"},
        {Op::ABS_V, "ABSv\\d+i\\d+"},
        {Op::NEG_V, "NEGv\\d+i\\d+"},
        {Op::ADDP_V, "ADDPv\\d+i\\d+p?"},
        {Op::AND_V, "ANDv(8|16)i8"},
        {Op::BIC_V, "BICv(8|16)i8"},
        {Op::ORR_V, "ORRv(8|16)i8"},
        {Op::ORN_V, "ORNv(8|16)i8"},
        {Op::EOR_V, "EORv(8|16)i8"},
        {Op::BSL, "BSLv(8|16)i8"},
        {Op::BIT, "BITv(8|16)i8"},
        {Op::BIF, "BIFv(8|16)i8"},
        {Op::CMGT_Z, "CMGTv\\d+i\\d+rz"},
        {Op::CMGE_Z, "CMGEv\\d+i\\d+rz"},
        {Op::CMEQ_Z, "CMEQv\\d+i\\d+rz"},
        {Op::CMLE_Z, "CMLEv\\d+i\\d+rz"},
        {Op::CMLT_Z, "CMLTv\\d+i\\d+rz"},
        {Op::SADDLP, "SADDLPv\\d+i\\d+_v\\d+i\\d+"},
        {Op::UADDLP, "UADDLPv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SADALP, "SADALPv\\d+i\\d+_v\\d+i\\d+"},
        {Op::UADALP, "UADALPv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SADDLV, "SADDLVv\\d+i\\d+v"},
        {Op::UADDLV, "UADDLVv\\d+i\\d+v"},
        {Op::SMAXV, "SMAXVv\\d+i\\d+v"},
        {Op::UMAXV, "UMAXVv\\d+i\\d+v"},
        {Op::SMINV, "SMINVv\\d+i\\d+v"},
        {Op::UMINV, "UMINVv\\d+i\\d+v"},
        {Op::ADDV, "ADDVv\\d+i\\d+v"},
        {Op::SADDL, "SADDLv\\d+i\\d+_v\\d+i\\d+"},
        {Op::UADDL, "UADDLv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SADDW, "SADDWv\\d+i\\d+_v\\d+i\\d+"},
        {Op::UADDW, "UADDWv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SSUBL, "SSUBLv\\d+i\\d+_v\\d+i\\d+"},
        {Op::USUBL, "USUBLv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SSUBW, "SSUBWv\\d+i\\d+_v\\d+i\\d+"},
        {Op::USUBW, "USUBWv\\d+i\\d+_v\\d+i\\d+"},
        {Op::ADDHN, "ADDHNv\\d+i\\d+_v\\d+i\\d+"},
        {Op::RADDHN, "RADDHNv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SABAL, "SABALv\\d+i\\d+_v\\d+i\\d+"},
        {Op::UABAL, "UABALv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SUBHN, "SUBHNv\\d+i\\d+_v\\d+i\\d+"},
        {Op::RSUBHN, "RSUBHNv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SABDL, "SABDLv\\d+i\\d+_v\\d+i\\d+"},
        {Op::UABDL, "UABDLv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SMLAL, "SMLALv\\d+i\\d+_v\\d+i\\d+"},
        {Op::UMLAL, "UMLALv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SMLSL, "SMLSLv\\d+i\\d+_v\\d+i\\d+"},
        {Op::UMLSL, "UMLSLv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SMULL, "SMULLv\\d+i\\d+_v\\d+i\\d+"},
        {Op::UMULL, "UMULLv\\d+i\\d+_v\\d+i\\d+"},
        {Op::SQDMLAL, "SQDMLAL(v\\d+i\\d+_v\\d+i\\d+|i16|i32)"},
        {Op::SQDMLSL, "SQDMLSL(v\\d+i\\d+_v\\d+i\\d+|i16|i32)"},
        {Op::SQDMULL, "SQDMULL(v\\d+i\\d+_v\\d+i\\d+|i16|i32)"},
        {Op::PMULL, "PMULLv(8|16)i8"},
        {Op::MLA_E, "MLAv\\d+i\\d+_indexed"},
        {Op::MLS_E, "MLSv\\d+i\\d+_indexed"},
        {Op::MUL_E, "MULv\\d+i\\d+_indexed"},
        {Op::SMLAL_E, "SMLALv\\d+i\\d+_indexed"},
        {Op::UMLAL_E, "UMLALv\\d+i\\d+_indexed"},
        {Op::SMLSL_E, "SMLSLv\\d+i\\d+_indexed"},
        {Op::UMLSL_E, "UMLSLv\\d+i\\d+_indexed"},
        {Op::SMULL_E, "SMULLv\\d+i\\d+_indexed"},
        {Op::UMULL_E, "UMULLv\\d+i\\d+_indexed"},
        {Op::SQDMULH_E, "SQDMULHv\\d+i\\d+_indexed"},
        {Op::SQRDMULH_E, "SQRDMULHv\\d+i\\d+_indexed"},
        {Op::SSHR, "SSHR(v\\d+i\\d+_shift|d)"},
        {Op::USHR, "USHR(v\\d+i\\d+_shift|d)"},
        {Op::SSRA, "SSRA(v\\d+i\\d+_shift|d)"},
        {Op::USRA, "USRA(v\\d+i\\d+_shift|d)"},
        {Op::SRSHR, "SRSHR(v\\d+i\\d+_shift|d)"},
        {Op::URSHR, "URSHR(v\\d+i\\d+_shift|d)"},
        {Op::SRSRA, "SRSRA(v\\d+i\\d+_shift|d)"},
        {Op::URSRA, "URSRA(v\\d+i\\d+_shift|d)"},
        {Op::SRI, "SRI(v\\d+i\\d+_shift|d)"},
        {Op::SLI, "SLI(v\\d+i\\d+_shift|d)"},
        {Op::SHL_V, "SHL(v\\d+i\\d+_shift|d)"},
        {Op::SQSHLU, "SQSHLU(v\\d+i\\d+_shift|[bhsd])"},
        {Op::SQSHL_I, "SQSHL(v\\d+i\\d+_shift|[bhsd])"},
        {Op::UQSHL_I, "UQSHL(v\\d+i\\d+_shift|[bhsd])"},
        {Op::SHRN, "SHRNv\\d+i\\d+_shift"},
        {Op::RSHRN, "RSHRNv\\d+i\\d+_shift"},
        {Op::SSHLL, "SSHLLv\\d+i\\d+_shift"},
        {Op::USHLL, "USHLLv\\d+i\\d+_shift"},
        {Op::SQSHRUN, "SQSHRUN(v\\d+i\\d+_shift|[bhs])"},
        {Op::SQRSHRUN, "SQRSHRUN(v\\d+i\\d+_shift|[bhs])"},
        {Op::SQSHRN, "SQSHRN(v\\d+i\\d+_shift|[bhs])"},
        {Op::UQSHRN, "UQSHRN(v\\d+i\\d+_shift|[bhs])"},
        {Op::SQRSHRN, "SQRSHRN(v\\d+i\\d+_shift|[bhs])"},
        {Op::UQRSHRN, "UQRSHRN(v\\d+i\\d+_shift|[bhs])"},
        {Op::MOVI, "MOVI(v8b_ns|v16b_ns|v4i16|v8i16|v2i32|v4i32|v2s_msl|v4s_msl|D|v2d_ns)"},
        {Op::MVNI, "MVNI(v4i16|v8i16|v2i32|v4i32|v2s_msl|v4s_msl)"},
        {Op::ORR_VI, "ORRv(4i16|8i16|2i32|4i32)"},
        {Op::BIC_VI, "BICv(4i16|8i16|2i32|4i32)"},
        {Op::FMOV_VI, "FMOVv(2f32|4f32|2f64)_ns"},
        {Op::DUP_ELEM, "DUPv\\d+i\\d+lane|DUPi(8|16|32|64)"},
        {Op::DUP_GEN, "DUPv\\d+i\\d+gpr"},
        {Op::SMOV, "SMOVvi(8|16|32)to(32|64)(_idx0)?"},
        {Op::UMOV, "UMOVvi(8|16|32|64)(_idx0)?"},
        {Op::INS_GEN, "INSvi(8|16|32|64)gpr"},
        {Op::INS_ELEM, "INSvi(8|16|32|64)lane"},
        {Op::EXT, "EXTv(8|16)i8"},
        {Op::TBL, "TBLv(8|16)i8(One|Two|Three|Four)"},
        {Op::TBX, "TBXv(8|16)i8(One|Two|Three|Four)"},
        {Op::LD1_M, "LD1(One|Two|Three|Four)v(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::LD2_M, "LD2Twov(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::LD3_M, "LD3Threev(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::LD4_M, "LD4Fourv(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::LD1_LANE, "LD1i(8|16|32|64)(_POST)?"},
        {Op::LD2_LANE, "LD2i(8|16|32|64)(_POST)?"},
        {Op::LD3_LANE, "LD3i(8|16|32|64)(_POST)?"},
        {Op::LD4_LANE, "LD4i(8|16|32|64)(_POST)?"},
        {Op::ST1_M, "ST1(One|Two|Three|Four)v(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::ST2_M, "ST2Twov(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::ST3_M, "ST3Threev(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::ST4_M, "ST4Fourv(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::ST1_LANE, "ST1i(8|16|32|64)(_POST)?"},
        {Op::ST2_LANE, "ST2i(8|16|32|64)(_POST)?"},
        {Op::ST3_LANE, "ST3i(8|16|32|64)(_POST)?"},
        {Op::ST4_LANE, "ST4i(8|16|32|64)(_POST)?"},
        {Op::LD1R, "LD1Rv(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::LD2R, "LD2Rv(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::LD3R, "LD3Rv(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
        {Op::LD4R, "LD4Rv(8b|16b|4h|8h|2s|4s|1d|2d)(_POST)?"},
    };
    std::map<Op, std::regex> r;
    for (auto &[op, re] : s)
      r.emplace(op, std::regex(re));
    return r;
  }();
  return m;
}

// Which of ours an LLVM opcode is, if any.
std::optional<Op> ourOp(const std::string &llvm) {
  for (auto &[op, re] : llvmOpcodes())
    if (std::regex_match(llvm, re))
      return op;
  return std::nullopt;
}

struct Encoding {
  Op op;
  const char *pattern;
  uint32_t mask, match;
};

std::vector<Encoding> tableEncodings() {
  std::vector<Encoding> out;
#define A64_INSN(ID, MN, PAT, FMT, FLAGS) out.push_back({Op::ID, PAT, 0, 0});
#define A64_FORM(ID, PAT, FMT) out.push_back({Op::ID, PAT, 0, 0});
#include "lifter/aarch64/insns.def"
#undef A64_FORM
#undef A64_INSN
  for (Encoding &e : out) {
    int bit = 31;
    for (const char *c = e.pattern; *c; c++) {
      if (*c == ' ')
        continue;
      if (*c != '-')
        e.mask |= 1u << bit;
      if (*c == '1')
        e.match |= 1u << bit;
      bit--;
    }
  }
  return out;
}

TEST(A64Decoder, EveryOpHasItsLlvmOpcodes) {
  for (size_t i = 1; i < size_t(Op::NumOps); i++)
    EXPECT_TRUE(llvmOpcodes().count(Op(i))) << mnemonic(Op(i));
}

// Words inside each listed encoding: ours decode as LLVM does, and the
// ones we call unallocated LLVM rejects or takes for another instruction.
TEST(A64Decoder, EveryEncodingAgreesWithLlvm) {
  ASSERT_TRUE(oracle().ok());
  std::mt19937 rng(1);
  int bad = 0;
  for (const Encoding &e : tableEncodings()) {
    for (int i = 0; i < 3000 && bad < 20; i++) {
      uint32_t w = (rng() & ~e.mask) | e.match;
      Insn in = decode(0x400000, w);
      std::optional<std::string> llvm = oracle().opcode(w);
      std::optional<Op> theirs = llvm ? ourOp(*llvm) : std::nullopt;
      if (in.op != Op::ILLEGAL ? theirs != in.op : theirs == e.op) {
        ADD_FAILURE() << std::hex << "0x" << w << " (" << e.pattern << "): ours "
                      << mnemonic(in.op) << ", LLVM " << (llvm ? *llvm : "invalid");
        bad++;
      }
    }
  }
}

// Random words across the whole space: what LLVM decodes as one of ours,
// we decode as that one.
TEST(A64Decoder, RandomWordsAgreeWithLlvm) {
  ASSERT_TRUE(oracle().ok());
  std::mt19937 rng(2);
  int bad = 0, covered = 0;
  for (int i = 0; i < 400000 && bad < 20; i++) {
    uint32_t w = rng();
    std::optional<std::string> llvm = oracle().opcode(w);
    std::optional<Op> theirs = llvm ? ourOp(*llvm) : std::nullopt;
    Insn in = decode(0, w);
    if (theirs)
      covered++;
    if (theirs ? in.op != *theirs : in.op != Op::ILLEGAL) {
      ADD_FAILURE() << std::hex << "0x" << w << ": ours " << mnemonic(in.op) << ", LLVM "
                    << (llvm ? *llvm : "invalid");
      bad++;
    }
  }
  EXPECT_GT(covered, 10000); // the space the table covers was reached
}

// Fields, against words from llvm-mc -show-encoding.
TEST(A64Decoder, Fields) {
  Insn in = decode(0, 0x917ffc20); // add x0, x1, #4095, lsl #12
  EXPECT_EQ(in.op, Op::ADD_IMM);
  EXPECT_EQ(in.sf, 1);
  EXPECT_EQ(in.rd, 0);
  EXPECT_EQ(in.rn, 1);
  EXPECT_EQ(in.imm, 4095 << 12);

  in = decode(0, 0x9200f020); // and x0, x1, #0x5555555555555555
  EXPECT_EQ(in.op, Op::AND_IMM);
  EXPECT_EQ(uint64_t(in.imm), 0x5555555555555555ull);
  in = decode(0, 0x12089c62); // and w2, w3, #0xff00ff00
  EXPECT_EQ(uint64_t(in.imm), 0xff00ff00ull);
  EXPECT_EQ(in.sf, 0);

  in = decode(0, 0xf85f8c20); // ldr x0, [x1, #-8]!
  EXPECT_EQ(in.op, Op::LDR_X);
  EXPECT_EQ(in.mode, Mode::PreIndex);
  EXPECT_EQ(in.imm, -8);
  EXPECT_EQ(in.size, 3);
  in = decode(0, 0xb840c4c5); // ldr w5, [x6], #12
  EXPECT_EQ(in.op, Op::LDR_W);
  EXPECT_EQ(in.mode, Mode::PostIndex);
  EXPECT_EQ(in.imm, 12);
  EXPECT_EQ(in.rd, 5);
  EXPECT_EQ(in.rn, 6);
  in = decode(0, 0xb8a3d841); // ldrsw x1, [x2, w3, sxtw #2]
  EXPECT_EQ(in.op, Op::LDRSW);
  EXPECT_EQ(in.mode, Mode::RegOffset);
  EXPECT_EQ(in.rm, 3);
  EXPECT_EQ(in.shift, 6); // SXTW
  EXPECT_EQ(in.amount, 2);
  in = decode(0, 0xa9ff7bfd); // ldp x29, x30, [sp, #-16]!
  EXPECT_EQ(in.op, Op::LDP_X);
  EXPECT_EQ(in.mode, Mode::PreIndex);
  EXPECT_EQ(in.imm, -16);
  EXPECT_EQ(in.rd, 29);
  EXPECT_EQ(in.ra, 30);
  EXPECT_EQ(in.rn, 31);

  // SIMD&FP registers: the size is 4 for Q, offsets scale by it.
  in = decode(0, 0x3dc00841); // ldr q1, [x2, #32]
  EXPECT_EQ(in.op, Op::LDR_V);
  EXPECT_EQ(in.size, 4);
  EXPECT_EQ(in.imm, 32);
  in = decode(0, 0x3c1ff483); // str b3, [x4], #-1
  EXPECT_EQ(in.op, Op::STR_V);
  EXPECT_EQ(in.size, 0);
  EXPECT_EQ(in.mode, Mode::PostIndex);
  EXPECT_EQ(in.imm, -1);
  in = decode(0, 0xadff07e0); // ldp q0, q1, [sp, #-32]!
  EXPECT_EQ(in.op, Op::LDP_V);
  EXPECT_EQ(in.size, 4);
  EXPECT_EQ(in.imm, -32);
  EXPECT_EQ(in.ra, 1);
  in = decode(0, 0x5c000045); // ldr d5, .+8
  EXPECT_EQ(in.op, Op::LDR_V);
  EXPECT_EQ(in.size, 3);
  EXPECT_EQ(in.mode, Mode::Literal);
  in = decode(0, 0x7c64d862); // ldr h2, [x3, w4, sxtw #1]
  EXPECT_EQ(in.op, Op::LDR_V);
  EXPECT_EQ(in.size, 1);
  EXPECT_EQ(in.amount, 1);
  in = decode(0, 0x2d011d06); // stp s6, s7, [x8, #8]
  EXPECT_EQ(in.op, Op::STP_V);
  EXPECT_EQ(in.size, 2);
  EXPECT_EQ(in.imm, 8);

  in = decode(0x1000, 0x54ffffe1); // b.ne .-4
  EXPECT_EQ(in.op, Op::B_COND);
  EXPECT_EQ(in.cond, 1);
  EXPECT_EQ(in.imm, -4);
  EXPECT_TRUE(flags(in.op) & kEndsBlock);
  in = decode(0, 0x36280043); // tbz w3, #5, .+8
  EXPECT_EQ(in.op, Op::TBZ);
  EXPECT_EQ(in.imms, 5);
  EXPECT_EQ(in.imm, 8);
  in = decode(0, 0xb747ffc3); // tbnz x3, #40, .-8
  EXPECT_EQ(in.op, Op::TBNZ);
  EXPECT_EQ(in.imms, 40);
  EXPECT_EQ(in.imm, -8);
  in = decode(0, 0xf0000000); // adrp x0, .+0x3000
  EXPECT_EQ(in.op, Op::ADRP);
  EXPECT_EQ(in.imm, 0x3000);

  in = decode(0, 0xf2f7dde1); // movk x1, #0xbeef, lsl #48
  EXPECT_EQ(in.op, Op::MOVK);
  EXPECT_EQ(in.imm, 0xbeef);
  EXPECT_EQ(in.amount, 48);
  in = decode(0, 0xd37cfc20); // lsr x0, x1, #60 (ubfm x0, x1, #60, #63)
  EXPECT_EQ(in.op, Op::UBFM);
  EXPECT_EQ(in.amount, 60);
  EXPECT_EQ(in.imms, 63);

  in = decode(0, 0xc8e1fc62); // casal x1, x2, [x3]
  EXPECT_EQ(in.op, Op::CAS);
  EXPECT_EQ(in.order, kAcquire | kRelease);
  EXPECT_EQ(in.rm, 1);
  EXPECT_EQ(in.rd, 2);
  EXPECT_EQ(in.size, 3);
  in = decode(0, 0xb8a403e5); // ldadda w4, w5, [sp]
  EXPECT_EQ(in.op, Op::LDADD);
  EXPECT_EQ(in.order, kAcquire);
  EXPECT_EQ(in.size, 2);

  in = decode(0, 0xd53bd040); // mrs x0, tpidr_el0 (op0 3, op1 3, CRn 13, CRm 0, op2 2)
  EXPECT_EQ(in.op, Op::MRS);
  EXPECT_EQ(in.imm, (1 << 14) | (3 << 11) | (13 << 7) | (0 << 3) | 2);
  in = decode(0, 0xd4000001); // svc #0
  EXPECT_EQ(in.op, Op::SVC);
  EXPECT_TRUE(flags(in.op) & kEndsBlock);

  in = decode(0, 0x1a820420); // csinc w0, w1, w2, eq
  EXPECT_EQ(in.op, Op::CSINC);
  EXPECT_EQ(in.cond, 0);
  EXPECT_EQ(in.rm, 2);
  in = decode(0, 0xfa471824); // ccmp x1, #7, #4, ne
  EXPECT_EQ(in.op, Op::CCMP);
  EXPECT_EQ(in.form, Form::Immediate);
  EXPECT_EQ(in.imm, 7);
  EXPECT_EQ(in.nzcv, 4);
  EXPECT_EQ(in.cond, 1);
  in = decode(0, 0x8b214be0); // add x0, sp, w1, uxtw #2
  EXPECT_EQ(in.op, Op::ADD_REG);
  EXPECT_EQ(in.form, Form::Extended);
  EXPECT_EQ(in.shift, 2); // UXTW
  EXPECT_EQ(in.amount, 2);

  EXPECT_EQ(decode(0, 0x00000000).op, Op::ILLEGAL); // udf #0
  EXPECT_EQ(decode(0, 0x1e222820).op, Op::FADD);    // fadd s0, s1, s2
  EXPECT_EQ(decode(0, 0x1f420c20).op, Op::FMADD);   // fmadd d0, d1, d2, d3
  EXPECT_EQ(decode(0, 0x1e644020).op, Op::FRINTN);  // frintn d0, d1
}

} // namespace
