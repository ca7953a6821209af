// Compressed (RVC) encodings beyond what decoder.h needs: the compressed
// mnemonic, for disassembly listings and for the decoder tests.
#pragma once

#include <cstdint>
#include <string_view>

namespace xlat::rv {

// The rvc.def name of the 16-bit encoding `raw` ("c.addi", "c.nop", ...);
// "reserved" for a reserved line and "illegal" when no line matches.
std::string_view compressedMnemonic(uint16_t raw);

} // namespace xlat::rv
