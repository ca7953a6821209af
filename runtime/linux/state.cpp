#include "runtime/guest_thread.h"
#include "runtime/linux/linux_state.h"
#include "runtime/process.h"

namespace xlat::linux_abi {

LinuxProcessState &processState(Process &p) { return p.abiState; }
LinuxThreadState &threadState(GuestThread &t) { return t.abi; }

} // namespace xlat::linux_abi
